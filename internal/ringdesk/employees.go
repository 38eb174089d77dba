package ringdesk

import (
	"strings"
	"unicode"
)

// EmployeeIdentity is what tells a person which UIS employee is which: the
// names, email and login the account lists (Data API get.employees).
type EmployeeIdentity struct {
	ID        int64
	FullName  string // "Last First Patronymic"
	FirstName string
	LastName  string
	Email     string
	Login     string
}

// How a suggested link was found.
const (
	MatchEmail = "email"
	MatchName  = "name"
)

// LinkSuggestion proposes an agent for a UIS employee.
type LinkSuggestion struct {
	AgentID int64
	By      string // MatchEmail or MatchName
}

// SuggestLinks proposes, for UIS employees no agent is linked to, the agent
// each probably is, so an administrator can link them in one click. The
// candidates are active agents without an Operator ID (an agent with one is
// linked already; changing it is a deliberate edit on the agent's page).
// An employee matches an agent by email (the employee's email, or a login
// that is an email address, equal to the agent's, ignoring case) or by name
// (every word of the agent's name, at least two, among the words of the
// employee's: "Иван Иванов" is "Иванов Иван Петрович"; case, ё/е and
// punctuation ignored). Only an unambiguous match is suggested: an email
// match wins over name matches; two candidates of the same kind for one
// employee, or one agent matching two employees the same way, suggest
// nothing. The result is keyed by employee id.
func SuggestLinks(emps []EmployeeIdentity, agents []*Agent) map[int64]LinkSuggestion {
	var cands []*Agent
	for _, a := range agents {
		if a != nil && a.Active && a.OperatorID == nil {
			cands = append(cands, a)
		}
	}
	type pair struct {
		emp   int64
		agent int64
	}
	byKind := map[string][]pair{}
	for _, e := range emps {
		for _, kind := range []string{MatchEmail, MatchName} {
			var hits []int64
			for _, a := range cands {
				if matches(kind, e, a) {
					hits = append(hits, a.ID)
				}
			}
			if len(hits) == 1 {
				byKind[kind] = append(byKind[kind], pair{e.ID, hits[0]})
			}
			if len(hits) > 0 {
				break // an email match (or its ambiguity) decides; names are not asked
			}
		}
	}
	out := map[int64]LinkSuggestion{}
	taken := map[int64]bool{} // agents suggested by email
	for _, kind := range []string{MatchEmail, MatchName} {
		perAgent := map[int64]int{}
		for _, p := range byKind[kind] {
			perAgent[p.agent]++
		}
		for _, p := range byKind[kind] {
			if perAgent[p.agent] == 1 && !taken[p.agent] {
				out[p.emp] = LinkSuggestion{AgentID: p.agent, By: kind}
			}
		}
		for a := range perAgent {
			taken[a] = true
		}
	}
	return out
}

func matches(kind string, e EmployeeIdentity, a *Agent) bool {
	switch kind {
	case MatchEmail:
		ae := NormalizeEmail(a.Email)
		if ae == "" {
			return false
		}
		login := NormalizeEmail(e.Login)
		return NormalizeEmail(e.Email) == ae || (strings.Contains(login, "@") && login == ae)
	case MatchName:
		return NameMatches(a.Name, e.FullName+" "+e.LastName+" "+e.FirstName)
	}
	return false
}

// NameMatches reports whether every word of name, at least two of them, is
// among the words of full (case, ё/е and punctuation ignored).
func NameMatches(name, full string) bool {
	words := NameWords(name)
	if len(words) < 2 {
		return false
	}
	have := map[string]bool{}
	for _, w := range NameWords(full) {
		have[w] = true
	}
	for _, w := range words {
		if !have[w] {
			return false
		}
	}
	return true
}

// NameWords splits a person's name into lower-case words, ё read as е,
// anything but letters and digits a separator, each word once.
func NameWords(s string) []string {
	s = strings.NewReplacer("ё", "е", "Ё", "е").Replace(strings.ToLower(s))
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		dup := false
		for _, o := range out {
			dup = dup || o == w
		}
		if !dup {
			out = append(out, w)
		}
	}
	return out
}
