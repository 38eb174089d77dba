package ringdesk

import (
	"maps"
	"slices"
	"testing"
)

func TestNameMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, full string
		want       bool
	}{
		{"Иван Иванов", "Иванов Иван Петрович", true},
		{"Иванов Иван Петрович", "Иванов Иван Петрович", true},
		{"иванов  ИВАН", "Иванов Иван Петрович", true},
		{"Пётр Сидоров", "Сидоров Петр Андреевич", true},
		{"Anna-Maria Smith", "Smith Anna Maria", true},
		{"Иван", "Иванов Иван Петрович", false},        // one word says too little
		{"Иван Петров", "Иванов Иван Петрович", false}, // a word that is not there
		{"Иван Иванович Иванов", "Иванов Иван", false}, // more words than UIS has
		{"", "Иванов Иван", false},
		{"Ivan Ivanov", "Иванов Иван", false}, // no transliteration
	}
	for _, tt := range tests {
		if got := NameMatches(tt.name, tt.full); got != tt.want {
			t.Errorf("NameMatches(%q, %q) = %v, want %v", tt.name, tt.full, got, tt.want)
		}
	}
}

func TestSuggestLinks(t *testing.T) {
	t.Parallel()
	id := func(n int64) *int64 { return &n }
	ag := func(id int64, name, email string) *Agent {
		return &Agent{ID: id, Name: name, Email: email, Active: true}
	}
	ivanov := EmployeeIdentity{ID: 323401, FullName: "Иванов Иван Петрович", FirstName: "Иван", LastName: "Иванов", Email: "ivanov@ringdesk.example", Login: "ivanov"}
	petrova := EmployeeIdentity{ID: 323402, FullName: "Петрова Анна Сергеевна", FirstName: "Анна", LastName: "Петрова", Email: "petrova@ringdesk.example"}
	noName := EmployeeIdentity{ID: 323404, LastName: "Кузнецова", FirstName: "Ольга"}
	tests := []struct {
		name   string
		emps   []EmployeeIdentity
		agents []*Agent
		want   map[int64]LinkSuggestion
	}{
		{"by email, any case", []EmployeeIdentity{ivanov}, []*Agent{ag(1, "Someone", "IVANOV@ringdesk.example")},
			map[int64]LinkSuggestion{323401: {1, MatchEmail}}},
		{"by a login that is an email", []EmployeeIdentity{{ID: 5, FullName: "X Y", Login: "boss@example.com"}}, []*Agent{ag(1, "Z", "boss@example.com")},
			map[int64]LinkSuggestion{5: {1, MatchEmail}}},
		{"by name", []EmployeeIdentity{petrova}, []*Agent{ag(2, "Анна Петрова", "anna@example.com")},
			map[int64]LinkSuggestion{323402: {2, MatchName}}},
		{"by first and last name when full_name is empty", []EmployeeIdentity{noName}, []*Agent{ag(3, "Ольга Кузнецова", "o@example.com")},
			map[int64]LinkSuggestion{323404: {3, MatchName}}},
		{"email wins over name", []EmployeeIdentity{ivanov}, []*Agent{ag(1, "Иван Иванов", "other@example.com"), ag(2, "Ваня", "ivanov@ringdesk.example")},
			map[int64]LinkSuggestion{323401: {2, MatchEmail}}},
		{"two agents of one name: nothing", []EmployeeIdentity{petrova}, []*Agent{ag(1, "Анна Петрова", "a1@example.com"), ag(2, "Петрова Анна", "a2@example.com")},
			map[int64]LinkSuggestion{}},
		{"one agent matching two employees by name: nothing", []EmployeeIdentity{
			{ID: 10, FullName: "Смирнов Алексей Викторович"}, {ID: 11, FullName: "Смирнов Алексей Игоревич"}},
			[]*Agent{ag(1, "Алексей Смирнов", "a@example.com")}, map[int64]LinkSuggestion{}},
		{"an agent taken by email is not also suggested by name", []EmployeeIdentity{ivanov, {ID: 12, FullName: "Иванов Иван"}},
			[]*Agent{ag(1, "Иван Иванов", "ivanov@ringdesk.example")}, map[int64]LinkSuggestion{323401: {1, MatchEmail}}},
		{"linked and inactive agents are no candidates", []EmployeeIdentity{ivanov, petrova},
			[]*Agent{{ID: 1, Name: "Иван Иванов", Email: "ivanov@ringdesk.example", Active: true, OperatorID: id(999)},
				{ID: 2, Name: "Анна Петрова", Email: "petrova@ringdesk.example"}}, map[int64]LinkSuggestion{}},
		{"no email on either side is no match", []EmployeeIdentity{{ID: 13, FullName: "Один"}}, []*Agent{ag(1, "Один", "")},
			map[int64]LinkSuggestion{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SuggestLinks(tt.emps, tt.agents)
			if !maps.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNameWords(t *testing.T) {
	t.Parallel()
	if got := NameWords("  Ёлкина-Петрова, Алёна  алёна "); !slices.Equal(got, []string{"елкина", "петрова", "алена"}) {
		t.Errorf("NameWords = %q", got)
	}
}
