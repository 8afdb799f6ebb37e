Feature: An administrator resets a person's two-factor authentication
  When a person loses their phone, an administrator resets their two-factor
  authentication. It takes effect at once: the lost phone's codes stop working, the person
  is signed out everywhere, and at their next login they set up again where two-factor
  authentication is enforced.

  Background:
    Given an administrator

  @req-RESET-1 @critical
  Scenario: After a reset the lost phone's codes no longer work and the agent sets up again
    Given the administrator has enforced two-factor authentication for all agents
    And an agent with two-factor authentication by authenticator app
    When the administrator resets the agent's two-factor authentication
    And the agent logs in with their password
    Then the agent is asked to set up two-factor authentication before going on
    When the agent sets up an authenticator app and confirms it
    Then the agent is signed in

  @req-RESET-1
  Scenario: A reset signs the person out at once
    Given an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    When the administrator resets the agent's two-factor authentication
    Then the agent cannot reach their home page
    And the agent receives an email saying two-factor authentication was reset

  @req-RESET-1
  Scenario: A reset also lifts the lock
    Given an agent with two-factor authentication by authenticator app
    And the agent logs in with their password
    And the agent enters 5 wrong codes
    When the administrator resets the agent's two-factor authentication
    And the agent logs in with their password
    Then the agent is signed in

  @req-RESET-2
  Scenario: Only an administrator can reset two-factor authentication
    Given an agent with two-factor authentication by authenticator app
    And another agent who has not set up two-factor authentication
    And the other agent is signed in
    When the other agent tries to reset the agent's two-factor authentication
    Then the other agent is told only an administrator can do this
    And two-factor authentication by authenticator app is on for the agent
