"""Action items: one owner, one due date, one clear outcome each, kept until done with evidence.

services change them (and tell the tracker), selectors read them, rules hold CL151 and CL153,
webhooks post each event to the tracker, export writes them as CSV and JSON.
"""
