Feature: Wrong codes and the lock
  Wrong codes are counted for the account, whatever device or sign-in they come from and
  however many new codes were asked for. After 5 wrong codes in a row the second step is
  locked for 15 minutes, the person is told so, and an email tells them too. After 100
  wrong codes in a row, however long apart, it stays locked until an administrator
  unlocks it. A right code clears the count. A code that was already used is refused, but
  it is no guess and is not counted. While the second step is locked, the password step
  answers as it always does: the lock never tells a right password from a wrong one.

  Background:
    Given an agent with two-factor authentication by authenticator app

  @req-LOCK-1 @critical
  Scenario: Five wrong codes lock the second step
    When the agent logs in with their password
    And the agent enters 5 wrong codes
    Then the agent is told the second step is locked for 15 minutes
    When the agent enters the code from their authenticator app
    Then the agent is told the second step is locked for 15 minutes
    And the agent is not signed in

  @req-LOCK-2
  Scenario: Wrong codes from different sign-ins add up
    When the agent logs in with their password
    And the agent enters 3 wrong codes
    And the agent logs in again with their password on another device
    And the agent enters 2 wrong codes on the other device
    Then the agent is told the second step is locked for 15 minutes

  @req-LOCK-3
  Scenario: A right code clears the count of wrong ones
    When the agent logs in with their password
    And the agent enters 4 wrong codes
    And the agent enters the code from their authenticator app
    Then the agent is signed in
    When the agent signs out
    And 30 seconds pass
    And the agent logs in with their password
    And the agent enters 4 wrong codes
    And the agent enters the code from their authenticator app
    Then the agent is signed in

  @req-LOCK-4
  Scenario: The lock ends after 15 minutes
    When the agent logs in with their password
    And the agent enters 5 wrong codes
    And 14 minutes pass
    And 30 seconds pass
    And the agent logs in with their password and the code from their authenticator app
    Then the agent is told the second step is locked, and to try again in 1 minute
    When 30 seconds pass
    And the agent logs in with their password and the code from their authenticator app
    Then the agent is signed in

  @req-LOCK-1
  Scenario: Something that is not a code is not counted as a wrong code
    When the agent logs in with their password
    And the agent enters "12ab56" as the code
    Then the agent is told "Enter the 6-digit code."
    When the agent enters 4 wrong codes
    And the agent enters the code from their authenticator app
    Then the agent is signed in

  @req-LOCK-5 @critical
  Scenario: After 100 wrong codes in a row the second step stays locked until an administrator unlocks it
    Given an administrator
    And the agent has entered 95 wrong codes in a row, waiting out each lock
    When the agent logs in with their password
    And the agent enters 5 wrong codes
    Then the agent is told the second step is locked until an administrator unlocks it
    And the agent receives an email saying their two-factor sign-in is locked until an administrator unlocks it
    When 24 hours pass
    And the agent logs in with their password and the code from their authenticator app
    Then the agent is told the second step is locked until an administrator unlocks it
    And the administrator sees that the agent's second step is locked until unlocked
    When the administrator unlocks the agent's second step
    And the agent logs in with their password and the code from their authenticator app
    Then the agent is signed in

  @req-LOCK-5
  Scenario: Until the 100th wrong code in a row, each lock ends by itself
    Given the agent has entered 95 wrong codes in a row, waiting out each lock
    When the agent logs in with their password and the code from their authenticator app
    Then the agent is signed in

  @req-LOCK-6 @req-NOTIFY-2 @critical
  Scenario: While the second step is locked, the password step answers as it always does
    When the agent logs in with their password
    And the agent enters 5 wrong codes
    Then the agent receives an email saying their two-factor sign-in is locked for 15 minutes
    When the agent logs in again with their password on another device
    Then the agent is asked for the code from their authenticator app
    When the agent enters the code from their authenticator app
    Then the agent is told the second step is locked for 15 minutes

  @req-LOCK-7
  Scenario: Replaying a code that was already used does not lock the agent out
    Given the agent has logged in with a code from their authenticator app
    When someone else tries the agent's password and that same code 5 times
    Then the code is refused
    When 30 seconds pass
    And the agent logs in again with their password on another device
    And the agent enters the code from their authenticator app
    Then the agent is signed in

  @req-LOCK-7
  Scenario: Sending the right code twice, as a double click does, keeps the agent signed in
    When the agent logs in with their password
    And the agent enters 4 wrong codes
    And the agent enters the code from their authenticator app twice, as a double click does
    Then the agent is signed in
