package browsertest

// TabOf identifies the browser tab a Page uses.
func TabOf(p *Page) any { return p.tab }
