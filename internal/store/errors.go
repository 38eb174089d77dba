package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// errUnique marks a unique-constraint violation before a method turns it
// into a domain conflict naming the field.
var errUnique = errors.New("store: unique violation")

// isUnique reports whether err is a unique-constraint violation on either dialect.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// uniqueConstraint returns the constraint or column text of a unique
// violation, so callers can say which field clashed.
func uniqueConstraint(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.ConstraintName
	}
	return err.Error()
}

// unavailable wraps err as EUNAVAILABLE: the database did not answer.
func unavailable(err error) error {
	return &ringdesk.Error{Code: ringdesk.EUNAVAILABLE, Message: "The database is unavailable; try again shortly. (" + err.Error() + ")"}
}

// isUnavailable reports whether err means the database could not be reached
// (as opposed to a query that the database rejected).
func isUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Class 08: connection exception; 57P: operator intervention (shutdown).
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
			return true
		}
	}
	return strings.Contains(err.Error(), "database is closed")
}

// mapErr turns driver errors into domain errors where the meaning is clear
// and leaves the rest wrapped for the log.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case isUnavailable(err):
		return unavailable(err)
	}
	return err
}

// wrap adds the store method name to err and maps driver errors.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *ringdesk.Error
	if errors.As(err, &de) {
		return err
	}
	if m := mapErr(err); m != err {
		return m
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// notFound is the domain error for a missing row.
func notFound(what string) error {
	return ringdesk.Errorf(ringdesk.ENOTFOUND, "%s not found.", what)
}
