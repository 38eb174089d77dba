package uis

import (
	"context"
	"encoding/json"
	"strings"
)

// Employee is a UIS employee of the account (Data API get.employees), as
// Ringdesk needs it to link agents: who it is, how to reach it, its groups.
type Employee struct {
	ID         int64
	FullName   string // "Last First Patronymic"
	FirstName  string
	LastName   string
	Patronymic string
	Login      string
	Email      string
	// PhoneNumbers are in UIS's dialling order; a number may carry
	// post-dial digits ("74955140578...2345") or be a SIP login.
	PhoneNumbers []EmployeePhone
	Extension    string // the short internal number, "" for none
	Groups       []EmployeeGroup
}

// EmployeePhone is one of an employee's numbers.
type EmployeePhone struct {
	Number string
	Active bool // UIS rings only active numbers
}

// EmployeeGroup is a UIS employee group an employee belongs to.
type EmployeeGroup struct {
	ID   int64
	Name string
}

// Name is the employee's full name, or first and last name when UIS left
// full_name empty.
func (e Employee) Name() string {
	if e.FullName != "" {
		return e.FullName
	}
	return strings.TrimSpace(e.LastName + " " + e.FirstName)
}

// EmployeeFields are the get.employees fields Ringdesk asks for: all
// documented and none of the deprecated ones (status, calls_available),
// which UIS says it will remove; an unknown name fails the whole request.
var EmployeeFields = []string{"id", "full_name", "first_name", "last_name", "patronymic", "login", "email",
	"groups", "phone_numbers", "extension"}

// employeesPage is the page size: the Data API's default (its cap is
// 10,000, but an account may be held to less).
const employeesPage = 1000

// GetEmployees returns every employee of the account, paging until UIS has
// no more (at most the Data API's offset cap). Rows are read tolerantly, as
// report rows are: a field of an unexpected shape is left empty, and a row
// without a usable id is skipped, since nothing could link to it. An
// employee seen twice (rows can move between pages: id is not sortable) is
// kept once.
func (c *Client) GetEmployees(ctx context.Context, token string) ([]Employee, error) {
	var all []Employee
	seen := map[int64]bool{}
	for offset := 0; offset <= MaxReportOffset; offset += employeesPage {
		params := struct {
			Fields []string `json:"fields"`
			Limit  int      `json:"limit"`
			Offset int      `json:"offset"`
		}{EmployeeFields, employeesPage, offset}
		var rows []json.RawMessage
		total, err := c.call(ctx, c.dataURL, "get.employees", token, params, &rows)
		if err != nil {
			return nil, err
		}
		for _, raw := range rows {
			e, ok := parseEmployee(raw)
			if ok && !seen[e.ID] {
				seen[e.ID] = true
				all = append(all, e)
			}
		}
		if len(rows) < employeesPage || (total > 0 && int64(offset+len(rows)) >= total) {
			break
		}
	}
	return all, nil
}

// employeeRow is a get.employees row; like reportRow its fields never fail
// to decode.
type employeeRow struct {
	ID           flexNumber     `json:"id"`
	FullName     reportText     `json:"full_name"`
	FirstName    reportText     `json:"first_name"`
	LastName     reportText     `json:"last_name"`
	Patronymic   reportText     `json:"patronymic"`
	Login        reportText     `json:"login"`
	Email        reportText     `json:"email"`
	PhoneNumbers employeePhones `json:"phone_numbers"`
	Extension    employeeExt    `json:"extension"`
	Groups       employeeGroups `json:"groups"`
}

func parseEmployee(raw []byte) (Employee, bool) {
	var r employeeRow
	if err := json.Unmarshal(raw, &r); err != nil || r.ID <= 0 {
		return Employee{}, false
	}
	e := Employee{ID: int64(r.ID), FullName: cleanText(r.FullName), FirstName: cleanText(r.FirstName),
		LastName: cleanText(r.LastName), Patronymic: cleanText(r.Patronymic), Login: cleanText(r.Login),
		Email: cleanText(r.Email), PhoneNumbers: r.PhoneNumbers, Extension: string(r.Extension), Groups: r.Groups}
	return e, true
}

// cleanText is a text field made safe for display and storage: trimmed,
// NULs removed, cut at maxText characters.
func cleanText(t reportText) string {
	s := strings.TrimSpace(strings.ReplaceAll(t.v, "\x00", ""))
	if r := []rune(s); len(r) > maxText {
		s = string(r[:maxText])
	}
	return s
}

// employeePhones reads phone_numbers: an array of objects; anything else,
// and elements without a number, are left out.
type employeePhones []EmployeePhone

func (p *employeePhones) UnmarshalJSON(b []byte) error {
	*p = nil
	if jsonKind(string(b)) != '[' {
		return nil
	}
	eachElem(string(b), func(elem string) {
		var ph struct {
			Number reportText `json:"phone_number"`
			Status reportText `json:"status"`
		}
		if jsonKind(elem) != '{' || json.Unmarshal([]byte(elem), &ph) != nil {
			return
		}
		if n := cleanText(ph.Number); n != "" {
			*p = append(*p, EmployeePhone{Number: n, Active: cleanText(ph.Status) != "inactive"})
		}
	})
	return nil
}

// employeeExt reads extension: an object with extension_phone_number; null,
// an object of nulls or another shape is no extension.
type employeeExt string

func (x *employeeExt) UnmarshalJSON(b []byte) error {
	*x = ""
	var o struct {
		Number reportText `json:"extension_phone_number"`
	}
	if jsonKind(string(b)) == '{' && json.Unmarshal(b, &o) == nil {
		*x = employeeExt(cleanText(o.Number))
	}
	return nil
}

// employeeGroups reads groups: an array of {group_id, group_name}.
type employeeGroups []EmployeeGroup

func (g *employeeGroups) UnmarshalJSON(b []byte) error {
	*g = nil
	if jsonKind(string(b)) != '[' {
		return nil
	}
	eachElem(string(b), func(elem string) {
		var gr struct {
			ID   flexNumber `json:"group_id"`
			Name reportText `json:"group_name"`
		}
		if jsonKind(elem) == '{' && json.Unmarshal([]byte(elem), &gr) == nil && gr.ID > 0 {
			*g = append(*g, EmployeeGroup{ID: int64(gr.ID), Name: cleanText(gr.Name)})
		}
	})
	return nil
}
