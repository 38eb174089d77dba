module github.com/ringdesk/ringdesk

go 1.26
