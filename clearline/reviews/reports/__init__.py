"""The incident report: an internal technical one for the team and an external one for
customers (plain-language and technical variants), drafted from the record, checked as kind
`report`, approved and published through the one publish path, exported as Markdown, HTML and
PDF."""
