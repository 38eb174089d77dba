package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/ringdesk/ringdesk/internal/ringdesk"
	"github.com/ringdesk/ringdesk/internal/store"
	"github.com/ringdesk/ringdesk/internal/store/storetest"
)

// TestClientSearchTrigramMatchesPlain checks that the client list's text
// search through the trigram indexes returns exactly what the plain query
// does, page by page, for rare and common terms, short terms, emails,
// Cyrillic and no match, and that the indexes follow creates, updates and
// merges (which delete a client and move its emails).
func TestClientSearchTrigramMatchesPlain(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	now := time.Now()
	var ids []int64
	for i := 0; i < 60; i++ {
		in := ringdesk.ClientInput{Name: fmt.Sprintf("Иван Петров %d", i), Company: "ООО Ромашка"}
		switch i % 3 {
		case 0:
			in.Name = fmt.Sprintf("Anna Smith %d", i)
			in.Emails = []string{fmt.Sprintf("anna%d@example.com", i)}
		case 1:
			in.Company = "Вектор"
			in.Emails = []string{fmt.Sprintf("Client%d@Vector.ru", i)}
		}
		c, err := db.CreateClient(ctx, in, now)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	terms := []string{"иван", "ИВАН ПЕТРОВ 1", "петров 42", "ромашка", "вектор", "anna", "SMITH 3", "client4",
		"@vector.ru", "example.com", "nt1@", "zzzz", "нет такого", "ив", "@e", "a", "%_", `"q"`, "ov 5"}
	check := func(stage string) {
		t.Helper()
		for _, limit := range []int{7, 50} {
			for _, term := range terms {
				f := store.ClientFilter{Query: term, Limit: limit}
				g := f
				for page := 0; ; page++ {
					got, next, err := db.ListClients(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					want, wantNext, err := db.ListClientsPlain(ctx, g)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(clientIDs(got), clientIDs(want)) || next != wantNext {
						t.Fatalf("%s: %q limit %d page %d: trigram %v next %q, plain %v next %q",
							stage, term, limit, page, clientIDs(got), next, clientIDs(want), wantNext)
					}
					if next == "" {
						break
					}
					f.Cursor, g.Cursor = next, wantNext
				}
			}
		}
	}
	check("created")
	// Common terms take the name-ordered walk above the cap; both paths agree.
	old := store.SetClientSearchCap(5)
	check("small cap")
	store.SetClientSearchCap(old)

	name, company := "Zoe Quill", "Northwind"
	emails := []string{"zoe@northwind.test"}
	if _, err := db.UpdateClient(ctx, ids[0], ringdesk.ClientUpdate{Name: &name, Company: &company, Emails: &emails}, now); err != nil {
		t.Fatal(err)
	}
	newEmails := []string{"moved@vector.ru"}
	if _, err := db.UpdateClient(ctx, ids[1], ringdesk.ClientUpdate{Emails: &newEmails}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MergeClients(ctx, ids[2], ids[3], 0, now); err != nil {
		t.Fatal(err)
	}
	terms = append(terms, "zoe quill", "northwind", "zoe@", "moved@", "anna0@", "client1@", "anna3@")
	check("updated and merged")
	for _, term := range []string{"zoe quill", "northwind", "moved@"} {
		list, _, err := db.ListClients(ctx, store.ClientFilter{Query: term})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 {
			t.Errorf("%q after update: %d clients, want 1", term, len(list))
		}
	}
	for _, term := range []string{"anna0@", "client1@", "anna smith 0"} {
		list, _, err := db.ListClients(ctx, store.ClientFilter{Query: term})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 0 {
			t.Errorf("%q after update: %d clients, want none", term, len(list))
		}
	}
}

func clientIDs(list []*ringdesk.Client) []int64 {
	var out []int64
	for _, c := range list {
		out = append(out, c.ID)
	}
	return out
}
