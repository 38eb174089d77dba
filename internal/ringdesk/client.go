package ringdesk

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

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

// Limits of client fields.
const (
	MaxClientName    = 200
	MaxClientCompany = 200
	MaxClientNote    = 10000
	MaxClientPhones  = 20
	MaxClientEmails  = 20
)

// ClientInput is what an agent gives when creating a client.
type ClientInput struct {
	Name    string
	Company string
	Note    string
	// Phones in any spelling; Validate turns them into E.164.
	Phones []string
	Emails []string
}

// ClientUpdate holds the fields to change; nil means unchanged. Phones and
// Emails, when set, replace the whole list.
type ClientUpdate struct {
	Name    *string
	Company *string
	Note    *string
	Phones  *[]string
	Emails  *[]string
}

// NormalizeFunc turns a phone number in any spelling into E.164 or says why
// it cannot; the desk passes one bound to its default region (package
// ringdesk cannot import the phone library).
type NormalizeFunc func(raw string) (string, error)

// Validate normalises c (trimmed text, E.164 phones, lower-case emails,
// duplicates dropped) and reports every invalid field.
func (c *ClientInput) Validate(normalize NormalizeFunc) error {
	var v Validation
	c.Name = strings.TrimSpace(c.Name)
	c.Company = strings.TrimSpace(c.Company)
	c.Note = strings.TrimSpace(c.Note)
	validateClientName(&v, c.Name)
	validateClientText(&v, c.Company, c.Note)
	c.Phones = normalizePhones(&v, c.Phones, normalize)
	c.Emails = normalizeEmails(&v, c.Emails)
	return v.Err()
}

// Validate normalises u and reports every invalid field.
func (u *ClientUpdate) Validate(normalize NormalizeFunc) error {
	var v Validation
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		validateClientName(&v, *u.Name)
	}
	company, note := "", ""
	if u.Company != nil {
		*u.Company = strings.TrimSpace(*u.Company)
		company = *u.Company
	}
	if u.Note != nil {
		*u.Note = strings.TrimSpace(*u.Note)
		note = *u.Note
	}
	validateClientText(&v, company, note)
	if u.Phones != nil {
		p := normalizePhones(&v, *u.Phones, normalize)
		u.Phones = &p
	}
	if u.Emails != nil {
		e := normalizeEmails(&v, *u.Emails)
		u.Emails = &e
	}
	return v.Err()
}

func validateClientName(v *Validation, name string) {
	v.Check(name != "", "name", "Name is required.")
	v.Check(utf8.RuneCountInString(name) <= MaxClientName, "name", "Name is too long: at most 200 characters.")
}

func validateClientText(v *Validation, company, note string) {
	v.Check(utf8.RuneCountInString(company) <= MaxClientCompany, "company", "Company is too long: at most 200 characters.")
	v.Check(utf8.RuneCountInString(note) <= MaxClientNote, "note", "Note is too long: at most 10000 characters.")
}

// normalizePhones returns the E.164 form of every non-blank entry, each
// once, and records a field error naming the first number that is not one.
func normalizePhones(v *Validation, raw []string, normalize NormalizeFunc) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, r := range raw {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		e164, err := normalize(r)
		if err != nil {
			v.Addf("phones", "%s is not a valid phone number.", r)
			continue
		}
		if !seen[e164] {
			seen[e164] = true
			out = append(out, e164)
		}
	}
	v.Check(len(out) <= MaxClientPhones, "phones", "Too many phone numbers: at most 20.")
	return out
}

// normalizeEmails lower-cases and checks every non-blank entry, each once.
func normalizeEmails(v *Validation, raw []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, r := range raw {
		e := NormalizeEmail(r)
		if e == "" {
			continue
		}
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || len(e) > 254 {
			v.Addf("emails", "%s is not a valid email address.", e)
			continue
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	v.Check(len(out) <= MaxClientEmails, "emails", "Too many email addresses: at most 20.")
	return out
}
