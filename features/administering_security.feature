Feature: The administrator's care of sign-in: fresh password, unlocking, the audit trail
  Changing the security settings, resetting or unlocking someone's two-factor sign-in needs
  the administrator's password entered within the last 15 minutes. An administrator sees
  who is locked and can lift the lock without taking the person's method away. The audit
  trail tells what happened to whom, when, from which address and with which browser,
  newest first.

  Background:
    Given an administrator

  @req-ADMIN-1 @critical
  Scenario: An administrator whose password is older than 15 minutes enters it again before a change
    Given the administrator is signed in
    When 16 minutes pass
    And the administrator tries to allow two-factor authentication for users
    Then the administrator is asked for their password again
    And two-factor authentication is not allowed for users
    When the administrator enters their password again
    And the administrator allows two-factor authentication for users
    Then two-factor authentication is allowed for users

  @req-ADMIN-2 @req-NOTIFY-2 @critical
  Scenario: An administrator unlocks a person's second step, and their method stays
    Given an agent with two-factor authentication by authenticator app
    And the agent logs in with their password
    And the agent enters 5 wrong codes
    Then the administrator sees that the agent's second step is locked
    When the administrator unlocks the agent's second step
    And the agent enters the code from their authenticator app
    Then the agent is signed in
    And two-factor authentication by authenticator app is on for the agent
    And the agent receives an email saying their two-factor sign-in was unlocked

  @req-AUDIT-1
  Scenario: The audit trail tells replays, refusals and sign-outs apart, with where they came from
    Given an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    When someone else logs in with the agent's password and that same code
    And the agent signs out
    And the administrator reads the audit trail of the agent
    Then the audit trail reads, newest first:
      | what                              | from               |
      | Signed out                        | the agent's device |
      | Code used before (replay)         | someone's device   |
      | Password accepted, code asked for | someone's device   |
      | Signed in                         | the agent's device |
      | Code accepted                     | the agent's device |
