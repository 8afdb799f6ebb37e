Feature: Turning two-factor authentication off
  A person can turn their own two-factor authentication off, unless the administrator
  enforces it for them. It takes the password and a current code, so that somebody who
  only knows the password cannot do it.

  @req-OFF-1 @critical
  Scenario: Turning off two-factor authentication with the password and a current code
    Given an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    When 30 seconds pass
    And the agent turns off two-factor authentication with their password and the code from their authenticator app
    Then two-factor authentication is off for the agent
    And the next time the agent logs in they are signed in with the password alone

  @req-OFF-1
  Scenario: Turning off email codes needs a code sent for the purpose
    Given an agent with two-factor authentication by email
    And the agent has logged in with the code sent by email
    When the agent turns off two-factor authentication with their password and the code sent by email
    Then two-factor authentication is off for the agent
    And the agent receives an email saying two-factor authentication is off

  @req-OFF-1
  Scenario: A wrong code does not turn two-factor authentication off
    Given an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    When the agent tries to turn off two-factor authentication with their password and a wrong code
    Then the code is refused
    And two-factor authentication by authenticator app is on for the agent

  @req-OFF-2 @critical
  Scenario: Two-factor authentication cannot be turned off where it is enforced
    Given an administrator
    And the administrator has enforced two-factor authentication for all agents
    And an agent with two-factor authentication by authenticator app
    And the agent has logged in with a code from their authenticator app
    When the agent tries to turn off two-factor authentication
    Then the agent is told their administrator requires two-factor authentication
    And two-factor authentication by authenticator app is on for the agent
