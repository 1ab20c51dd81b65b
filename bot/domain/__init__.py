"""Plans, people, schools and the access policy: plain values and rules, no I/O."""
