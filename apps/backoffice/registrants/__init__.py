"""The registrants of a slot in the back office: lists, attendance, manager registrations and cancellations."""
