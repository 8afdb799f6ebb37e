Feature: Wrong codes and the lock
  Wrong codes are counted for the account, whatever device or sign-in they come from and
  however many new codes were asked for. After 5 wrong codes in a row the second step is
  locked for 15 minutes, and the person is told so. A right code clears the count.

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
    And 15 minutes pass
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
