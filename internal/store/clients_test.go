package store_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestClientOwnedTablesCoverSchema fails when a table with a client_id
// column is missing from the list a merge moves, so merging never leaves
// rows pointing at a deleted client.
func TestClientOwnedTablesCoverSchema(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t)
	tables, err := db.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	owned := store.ClientOwnedTables()
	var withColumn []string
	for name, cols := range tables {
		if slices.Contains(cols, "client_id") {
			withColumn = append(withColumn, name)
			if !slices.Contains(owned, name) {
				t.Errorf("table %s has client_id but is not in clientOwnedTables (internal/store/clients_merge.go): a merge would orphan its rows", name)
			}
		}
	}
	for _, name := range owned {
		if !slices.Contains(withColumn, name) {
			t.Errorf("clientOwnedTables lists %s, which has no client_id column", name)
		}
	}
}

func TestClientCreateConflictUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ivan, err := db.CreateClient(ctx, ringdesk.ClientInput{Name: "Иван Петров", Company: "ООО Ромашка",
		Phones: []string{"+79261234567"}, Emails: []string{"ivan@example.com"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !ivan.NameEdited || !slices.Equal(ivan.Phones, []string{"+79261234567"}) || !slices.Equal(ivan.Emails, []string{"ivan@example.com"}) {
		t.Errorf("created = %+v", ivan)
	}
	// A number of Ivan's: conflict naming him, and nothing of the new client is stored.
	_, err = db.CreateClient(ctx, ringdesk.ClientInput{Name: "Other", Phones: []string{"+79031112233", "+79261234567"}}, now)
	want := "+7 926 123-45-67 already belongs to Иван Петров (#" + itoa(ivan.ID) + ")."
	if ringdesk.ErrorCode(err) != ringdesk.ECONFLICT || ringdesk.ErrorFields(err)["phones"] != want {
		t.Fatalf("duplicate phone: err = %v, want conflict %q", err, want)
	}
	if _, err := db.ClientByPhone(ctx, "+79031112233"); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("half-written client: %v", err)
	}
	list, _, err := db.ListClients(ctx, store.ClientFilter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("list = %d clients, %v; want only Ivan", len(list), err)
	}

	other, err := db.CreateClient(ctx, ringdesk.ClientInput{Name: "Anna", Emails: []string{"anna@example.com"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.UpdateClient(ctx, other.ID, ringdesk.ClientUpdate{Emails: &[]string{"anna@example.com", "ivan@example.com"}}, now)
	if ringdesk.ErrorCode(err) != ringdesk.ECONFLICT || !strings.Contains(ringdesk.ErrorFields(err)["emails"], "Иван Петров") {
		t.Errorf("duplicate email on update: %v", err)
	}
	name := "Анна Смирнова"
	phones := []string{"+79031112233", "+79031112244"}
	got, err := db.UpdateClient(ctx, other.ID, ringdesk.ClientUpdate{Name: &name, Phones: &phones}, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != name || !slices.Equal(got.Phones, phones) || !slices.Equal(got.Emails, []string{"anna@example.com"}) || !got.UpdatedAt.Equal(now.Add(time.Hour)) {
		t.Errorf("updated = %+v", got)
	}
	phones = []string{"+79031112244"}
	if got, err = db.UpdateClient(ctx, other.ID, ringdesk.ClientUpdate{Phones: &phones}, now); err != nil || !slices.Equal(got.Phones, phones) {
		t.Errorf("replace phones: %+v, %v", got, err)
	}
	if c, err := db.ClientByPhone(ctx, "+79031112244"); err != nil || c.ID != other.ID {
		t.Errorf("by phone: %+v, %v", c, err)
	}
}

func TestClientSearchAndPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Now()
	for _, in := range []ringdesk.ClientInput{
		{Name: "Иван Петров", Emails: []string{"ivan@romashka.ru"}},
		{Name: "Пётр Иванов", Company: "Ромашка"},
		{Name: "Anna Smith", Phones: []string{"+79261234567"}},
		{Name: "Boris 100%_done"},
		{Name: "Zed", Company: "ACME"},
	} {
		if _, err := db.CreateClient(ctx, in, now); err != nil {
			t.Fatal(err)
		}
	}
	names := func(f store.ClientFilter) []string {
		t.Helper()
		list, _, err := db.ListClients(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range list {
			out = append(out, c.Name)
		}
		return out
	}
	cases := []struct {
		f    store.ClientFilter
		want []string
	}{
		{store.ClientFilter{Query: "иван"}, []string{"Иван Петров", "Пётр Иванов"}},
		{store.ClientFilter{Query: "РОМАШКА"}, []string{"Пётр Иванов"}},  // company
		{store.ClientFilter{Query: "ROMASHKA"}, []string{"Иван Петров"}}, // email
		{store.ClientFilter{Query: "acme"}, []string{"Zed"}},
		{store.ClientFilter{Query: "%_"}, []string{"Boris 100%_done"}},
		{store.ClientFilter{Query: "_"}, []string{"Boris 100%_done"}},
		{store.ClientFilter{Phone: "+79261234567"}, []string{"Anna Smith"}},
		{store.ClientFilter{PhonePart: ringdesk.PartialPhone{Digits: "1234"}}, []string{"Anna Smith"}},
		{store.ClientFilter{Phone: "+79260000000"}, nil},
	}
	for _, c := range cases {
		if got := names(c.f); !slices.Equal(got, c.want) {
			t.Errorf("%+v: got %q, want %q", c.f, got, c.want)
		}
	}
	// Keyset pages of two walk every client once, in name order.
	var all []string
	cursor := ""
	for range 10 {
		list, next, err := db.ListClients(ctx, store.ClientFilter{Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			all = append(all, c.Name)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if !slices.IsSorted(all) || len(all) != 5 {
		t.Errorf("pages = %q", all)
	}
	if _, _, err := db.ListClients(ctx, store.ClientFilter{Cursor: "garbage"}); ringdesk.ErrorCode(err) != ringdesk.EINVALID {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestMergeClientsMovesContacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Now()
	a, err := db.CreateClient(ctx, ringdesk.ClientInput{Name: "Known", Phones: []string{"+79261234567"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CreateClient(ctx, ringdesk.ClientInput{Name: "Caller", Company: "ACME", Note: "calls a lot",
		Phones: []string{"+79031112233"}, Emails: []string{"c@example.com"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.MergeClients(ctx, a.ID, b.ID, 0, now)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Known" || got.Company != "ACME" || got.Note != "calls a lot" ||
		!slices.Equal(got.Phones, []string{"+79261234567", "+79031112233"}) || !slices.Equal(got.Emails, []string{"c@example.com"}) {
		t.Errorf("survivor = %+v", got)
	}
	if _, err := db.ClientByID(ctx, b.ID); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("merged client still exists: %v", err)
	}
	if _, err := db.MergeClients(ctx, a.ID, a.ID, 0, now); ringdesk.ErrorCode(err) != ringdesk.EINVALID {
		t.Errorf("self merge: %v", err)
	}
	if _, err := db.MergeClients(ctx, a.ID, b.ID, 0, now); ringdesk.ErrorCode(err) != ringdesk.ENOTFOUND {
		t.Errorf("merge of a deleted client: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestClientSearchBackfilledOnOpen: clients written before every path filled
// the search text (telephony once left it empty) are found by name after the
// next start, in any alphabet.
func TestClientSearchBackfilledOnOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opts := store.Options{DSN: storetest.DSN(t), DataDir: t.TempDir()}
	db, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.SeedClient(ctx, "Анастасия Кудрявцева", []string{"+79031230000"}, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecForTest(ctx, `UPDATE clients SET search = '' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if got, _, err := db.ListClients(ctx, store.ClientFilter{Query: "кудряв"}); err != nil || len(got) != 0 {
		t.Fatalf("before the backfill: %d clients (%v), want 0: the test no longer sets up an empty search", len(got), err)
	}
	db.Close()
	db, err = store.Open(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, _, err := db.ListClients(ctx, store.ClientFilter{Query: "КУДРЯВ"})
	if err != nil || len(got) != 1 || got[0].ID != id {
		t.Fatalf("after reopening: %v (%v), want client %d", got, err, id)
	}
}
