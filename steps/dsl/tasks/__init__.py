"""What people do, in the product's words: each task takes the actors and returns what was seen.

    signing_in      logging in, the second step, codes, signing out, sessions
    own_account     setting up, changing and turning off one's own two-factor authentication
    administering   the administrator's security settings, resets, unlocks, the audit trail

The questions a Then step asks (what is on screen, what arrived) are in ``steps/dsl/questions.py``.
"""
