Feature: Recovery codes
  When a person sets up two-factor authentication they are shown ten recovery codes, once,
  to print or save. Each one works once in place of a code, at the second step of a login
  or to replace their factor when the phone is lost or changed. Wrong recovery codes count
  towards the same lock as wrong codes. Making new ones takes the password and a code from
  the current method, and the old ones stop working; so does an administrator's reset. The
  person is emailed whenever one is used, and told when only 3 are left.

  Background:
    Given an agent with two-factor authentication by authenticator app

  @req-RECOVERY-1 @critical
  Scenario: Setting up two-factor authentication shows ten recovery codes, once
    Given another agent who has not set up two-factor authentication
    And the other agent is signed in
    When the other agent enables two-factor authentication with an authenticator app
    And the other agent scans the QR code with their authenticator app
    And the other agent confirms with the code from their authenticator app
    Then the other agent is shown 10 different recovery codes of 16 letters and digits

  @req-RECOVERY-2 @critical
  Scenario: A recovery code signs in in place of a code, and the person is told by email
    When the agent logs in with their password and a recovery code
    Then the agent is signed in
    And the agent receives an email saying a recovery code was used

  @req-RECOVERY-2 @critical
  Scenario: A recovery code works once
    Given the agent has logged in with a recovery code
    And the agent signs out
    When the agent logs in with their password and the recovery code they used before
    Then the agent is told "That recovery code has already been used. Each recovery code works once: use another."
    And the agent is not signed in

  @req-RECOVERY-2 @req-LOCK-7
  Scenario: A recovery code sent twice, as a double click does, keeps the agent signed in
    When the agent logs in with their password
    And the agent enters 4 wrong codes
    And the agent enters a recovery code twice, as a double click does
    Then the agent is signed in

  @req-RECOVERY-3 @critical
  Scenario: Wrong recovery codes count towards the lock
    When the agent logs in with their password
    And the agent enters 5 wrong recovery codes
    Then the agent is told the second step is locked for 15 minutes
    When the agent enters a recovery code
    Then the agent is told the second step is locked for 15 minutes
    And the agent is not signed in

  @req-RECOVERY-7
  Scenario: A mistyped recovery code is refused as such
    When the agent logs in with their password
    And the agent enters "1a2b-3c4d-5e6f" as the code
    Then the agent is told "A recovery code has 16 letters and digits, like 1a2b-3c4d-5e6f-7a8b. Check it and enter it again."

  @req-RECOVERY-4 @critical
  Scenario: New recovery codes take the password and a current code, and the old ones stop working
    Given the agent is signed in
    When 30 seconds pass
    And the agent makes new recovery codes with their password and the code from their authenticator app
    Then the agent is shown 10 different recovery codes of 16 letters and digits
    And the agent receives an email saying new recovery codes were made
    When the agent signs out
    And the agent logs in with their password and a recovery code from the set that was replaced
    Then the agent is told "That recovery code is from a set that was replaced. Use a code from your newest set."
    And the agent is not signed in

  @req-RECOVERY-4
  Scenario: A wrong code makes no new recovery codes
    Given the agent is signed in
    When the agent tries to make new recovery codes with their password and a wrong code
    Then the code is refused
    When the agent signs out
    And the agent logs in with their password and a recovery code
    Then the agent is signed in

  @req-RECOVERY-5
  Scenario: The person is told when only 3 recovery codes are left
    When the agent signs in with a recovery code 7 times
    Then the agent receives an email saying 3 recovery codes are left

  @req-RECOVERY-6 @critical
  Scenario: An administrator's reset voids the recovery codes
    Given an administrator
    And the administrator has enforced two-factor authentication for all agents
    When the administrator resets the agent's two-factor authentication
    And the agent logs in with their password
    And the agent sets up an authenticator app and confirms it
    And the agent signs out
    And the agent logs in with their password and a recovery code from the set that was replaced
    Then the agent is told "That recovery code is from a set that was replaced. Use a code from your newest set."

  @req-CHANGE-3 @req-SESSION-4 @critical
  Scenario: A recovery code replaces a lost authenticator app
    Given the agent is signed in on two devices
    When the agent changes two-factor authentication to email with their password
    And the agent proves it with a recovery code
    And the agent confirms with the code sent by email
    Then two-factor authentication by email is on for the agent
    And the agent receives an email saying two-factor authentication by email is on
    And the agent receives an email saying a recovery code was used
    And the agent cannot reach their home page on the other device

  @req-CHANGE-3 @critical
  Scenario: The password alone does not replace the factor, even with a used recovery code
    Given the agent has logged in with a recovery code
    When the agent changes two-factor authentication to email with their password
    And the agent proves it with the recovery code they used before
    Then the agent is told "That recovery code has already been used. Each recovery code works once: use another."
    And two-factor authentication by authenticator app is on for the agent
