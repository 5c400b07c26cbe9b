"""Every channel's rendering of one approved update: email, webhook, chat post and plain text.

An update is written once and approved once; these modules only change its format. Drafts are
refused. Nothing here sends anything: delivery belongs to notifications.
"""
