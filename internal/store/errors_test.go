package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// TestUnavailableErrors: connection loss in every form the drivers report
// it is EUNAVAILABLE with a message that names nothing of the driver's,
// while the log (Error) keeps the detail; refused queries are not.
func TestUnavailableErrors(t *testing.T) {
	t.Parallel()
	const secretish = "failed to connect to `user=postgres database=prod`: 10.0.0.5:5432"
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"unexpected EOF", fmt.Errorf("%s: %w", secretish, io.ErrUnexpectedEOF), true},
		{"EOF", io.EOF, true},
		{"bad conn", driver.ErrBadConn, true},
		{"conn done", sql.ErrConnDone, true},
		{"pgx conn closed", fmt.Errorf("x: %w", pgconn.ErrConnClosed), true},
		{"net closed", net.ErrClosed, true},
		{"reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, true},
		{"refused", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{"admin shutdown", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"deadlock", &pgconn.PgError{Code: "40P01"}, true},
		{"statement timeout", &pgconn.PgError{Code: "57014"}, true},
		{"closed database/sql", errors.New("sql: database is closed"), true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"syntax error", &pgconn.PgError{Code: "42601"}, false},
		{"no rows", sql.ErrNoRows, false},
		{"other", errors.New("something else"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := wrap("op", c.err)
			if IsDatabaseUnavailable(got) != c.want || (ringdesk.ErrorCode(got) == ringdesk.EUNAVAILABLE) != c.want {
				t.Fatalf("wrap(%v) = %v (code %s), unavailable %v; want %v", c.err, got, ringdesk.ErrorCode(got), IsDatabaseUnavailable(got), c.want)
			}
			if !c.want {
				return
			}
			if msg := ringdesk.ErrorMessage(got); msg != "The database is unavailable; try again shortly." {
				t.Errorf("client message %q", msg)
			}
			if !errors.Is(got, c.err) || !strings.Contains(got.Error(), c.err.Error()) {
				t.Errorf("the log loses the driver's error: %v", got)
			}
			if unavailable(got) != got {
				t.Error("wrapped twice")
			}
		})
	}
	if err := wrap("op", context.Canceled); IsDatabaseUnavailable(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled request is not an outage: %v", err)
	}
}
