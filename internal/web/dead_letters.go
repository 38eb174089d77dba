package web

// deadLettersShown bounds the dead-letter list page.
const deadLettersShown = 200
