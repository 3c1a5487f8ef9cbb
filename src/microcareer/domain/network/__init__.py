"""The professional network (issue 21): connections and how people know each other, introductions,
referrals, mentorship, and the public portfolio page."""
