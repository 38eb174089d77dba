package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
)

// Part of a phone number (ringdesk.PartialPhone: digits anywhere in a
// number, or the beginning of one) is looked up in two lists of numbers,
// each with a trigram index for the digits and its UNIQUE B-tree for the
// beginning (migration 0022):
//
//   - client_phones.phone, for the client list, the client picker and
//     ticket search;
//   - call_numbers.phone, every distinct contact number of calls (kept by
//     triggers on calls), for the Calls page: the calls of the matching
//     numbers are then read through calls_phone_idx.
//
// On PostgreSQL the trigram index is pg_trgm's GIN on phone; on SQLite an
// FTS5 trigram table (client_phones_fts, call_numbers_fts). Both answer a
// substring of three characters or more, and a part has at least four
// digits (phone.MinPartialDigits).

// callNumberCap bounds how many contact numbers a partial number may match
// on the Calls page; more (four digits on a desk with over a million
// numbers) would read the calls of thousands of numbers for one page.
var callNumberCap = 1000

// partError refuses a part of a number holding anything but digits (and a
// "+" before the prefix): the store writes its digits into SQL.
func partError(field string) error {
	return &ringdesk.Error{Code: ringdesk.EINVALID, Message: "A partial phone number holds only digits.",
		Fields: map[string]string{field: "A partial phone number holds only digits."}}
}

// numberMatches returns a query of col from table (client_phones or
// call_numbers) for the rows whose phone matches p. p must be Valid.
func (db *DB) numberMatches(table, col string, p ringdesk.PartialPhone, arg func(any) string) string {
	var parts []string
	if p.Digits != "" {
		if db.dialect == Postgres {
			// The pattern is a literal (digits only), so even a cached
			// generic plan sees it and uses the GIN index.
			parts = append(parts, "SELECT "+col+" FROM "+table+" WHERE phone LIKE '%"+p.Digits+"%'")
		} else {
			// The FTS5 trigram table finds the rows containing the digits;
			// instr checks each (a phrase of trigrams is the substring).
			fts := table + "_fts"
			parts = append(parts, "SELECT "+col+" FROM "+table+" WHERE id IN (SELECT rowid FROM "+fts+" WHERE "+fts+
				" MATCH "+arg(`"`+p.Digits+`"`)+") AND instr(phone, "+arg(p.Digits)+") > 0")
		}
	}
	if p.Prefix != "" {
		// A range of the UNIQUE index on phone. substr checks the prefix,
		// since a collation other than C may sort other strings into the
		// range on PostgreSQL; unlike LIKE, it does not tempt PostgreSQL
		// into also reading the trigram index (12 ms for "+7926").
		lo, hi := p.Prefix, prefixEnd(p.Prefix)
		var cond string
		if db.dialect == Postgres {
			cond = "phone >= '" + lo + "' AND substr(phone, 1, " + strconv.Itoa(len(lo)) + ") = '" + lo + "'"
			if hi != "" {
				cond += " AND phone < '" + hi + "'"
			}
		} else {
			cond = "phone >= " + arg(lo) + " AND substr(phone, 1, " + strconv.Itoa(len(lo)) + ") = " + arg(lo)
			if hi != "" {
				cond += " AND phone < " + arg(hi)
			}
		}
		parts = append(parts, "SELECT "+col+" FROM "+table+" WHERE "+cond)
	}
	return strings.Join(parts, " UNION ")
}

// numberTest returns a condition testing the number column col against p
// row by row, for walks that visit few rows per match.
func (db *DB) numberTest(col string, p ringdesk.PartialPhone, arg func(any) string) string {
	var or []string
	if p.Digits != "" {
		if db.dialect == Postgres {
			or = append(or, "strpos("+col+", '"+p.Digits+"') > 0")
		} else {
			or = append(or, "instr("+col+", "+arg(p.Digits)+") > 0")
		}
	}
	if p.Prefix != "" {
		lit := "'" + p.Prefix + "'"
		if db.dialect == SQLite {
			lit = arg(p.Prefix)
		}
		or = append(or, "substr("+col+", 1, "+strconv.Itoa(len(p.Prefix))+") = "+lit)
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// prefixEnd returns the smallest string of digits (after the "+") above
// every number starting with prefix: "+7926129" gives "+7926130". It returns
// "" when there is none ("+999").
func prefixEnd(prefix string) string {
	b := []byte(prefix)
	for i := len(b) - 1; i > 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// phoneCandidateCap bounds how many clients with a matching number the
// client list sorts by name itself; with more it walks the clients in name
// order and tests each one's numbers instead. Either costs most near the
// cap (at 300,000 clients, ~3,000 matches: sorting them takes 8-12 ms, the
// walk 30-65 ms, reading ~5,000 clients for a page), so the cap is higher
// than the text search's: a number is one short index row, a candidate
// costs less to fetch than a walk's step does to test.
var phoneCandidateCap = 5000

// phoneCandidates returns the clients with a number matching p, and false
// when more than phoneCandidateCap do.
func (db *DB) phoneCandidates(ctx context.Context, r querier, p ringdesk.PartialPhone) ([]int64, bool, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	ids, err := int64sOf(ctx, r, "SELECT client_id FROM ("+db.numberMatches("client_phones", "client_id", p, arg)+
		") m LIMIT "+strconv.Itoa(phoneCandidateCap+1), args...)
	if err != nil || len(ids) > phoneCandidateCap {
		return nil, false, err
	}
	return ids, true, nil
}

// callNumbers returns the distinct contact numbers of calls matching p, and
// false when more than callNumberCap do.
func (db *DB) callNumbers(ctx context.Context, p ringdesk.PartialPhone) ([]string, bool, error) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	q := "SELECT phone FROM (" + db.numberMatches("call_numbers", "phone", p, arg) + ") n LIMIT " + strconv.Itoa(callNumberCap+1)
	list, err := stringsOf(ctx, db.r, q, args...)
	if err != nil {
		return nil, false, err
	}
	if len(list) > callNumberCap {
		return nil, false, nil
	}
	return list, true, nil
}

// stringList is a subquery yielding strings, passed as one parameter.
func (db *DB) stringList(list []string, arg func(any) string) string {
	if db.dialect == Postgres {
		return "SELECT unnest(" + arg(list) + "::text[])"
	}
	b, _ := json.Marshal(list) // a []string always marshals
	return "SELECT value FROM json_each(" + arg(string(b)) + ")"
}
