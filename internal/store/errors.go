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

// errDatabaseUnavailable is what a client is told when the database cannot
// be reached: nothing from the driver, whose text names hosts, users and
// databases.
var errDatabaseUnavailable = &ringdesk.Error{Code: ringdesk.EUNAVAILABLE, Message: "The database is unavailable; try again shortly."}

// unavailableError is a database that could not be reached. It is
// EUNAVAILABLE with the fixed message above for clients, and keeps the
// driver's error for the log (Error) and for errors.Is/As.
type unavailableError struct{ err error }

func (e *unavailableError) Error() string { return "store: database unavailable: " + e.err.Error() }

func (e *unavailableError) Unwrap() []error { return []error{errDatabaseUnavailable, e.err} }

// unavailable wraps err as EUNAVAILABLE: the database did not answer.
func unavailable(err error) error {
	var u *unavailableError
	if errors.As(err, &u) {
		return err
	}
	return &unavailableError{err: err}
}

// IsDatabaseUnavailable reports whether err, from any store method, means
// the database could not be reached (as opposed to UIS or another service
// being unavailable, or a query the database refused).
func IsDatabaseUnavailable(err error) bool {
	var u *unavailableError
	return errors.As(err, &u)
}

// isUnavailable reports whether err means the database could not be reached
// or could not serve the request for reasons that are not the request's:
// no connection, a connection lost mid-query (unexpected EOF, closed or reset
// connection), shutdown, exhausted resources, a transient conflict (deadlock,
// serialization failure) or a timeout.
func isUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		pgconn.Timeout(err) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"), // connection exception
			strings.HasPrefix(pe.Code, "53"),                           // insufficient resources: too many connections, disk full
			strings.HasPrefix(pe.Code, "57P"),                          // operator intervention: shutdown, crash, cannot connect now
			strings.HasPrefix(pe.Code, "58"),                           // system error: I/O
			pe.Code == "57014",                                         // query canceled by statement_timeout
			pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03": // serialization failure, deadlock, lock timeout
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN,
			sqlite3.SQLITE_READONLY, sqlite3.SQLITE_NOMEM:
			return true
		}
	}
	msg := err.Error()
	return strings.Contains(msg, "database is closed") || strings.Contains(msg, "conn closed")
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
