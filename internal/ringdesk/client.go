package ringdesk

import "time"

// Client is a person or organisation that contacts support.
type Client struct {
	ID      int64
	Name    string
	Company string
	Note    string
	// Phones are E.164 strings (+79261234567); a number belongs to one client.
	Phones []string
	// Emails are lower case; an address belongs to one client.
	Emails []string
	// NameEdited is set once an agent edits the name, so data from
	// telephony (the UIS contact name) never overwrites it.
	NameEdited bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}
