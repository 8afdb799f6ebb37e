Feature: Enforcing two-factor authentication for all agents and/or all users
  Under Configuration > Advanced Settings, heading Security, an administrator can enforce
  two-factor authentication on all agents and/or on all users. A person to whom it applies
  and who has not set it up is taken to set it up right after the password step, and
  reaches nothing else until it is done; a session opened before enforcement is taken to
  the set-up at its next request, as a fresh login would be. Turning enforcement off
  removes nobody's two-factor authentication.

  Background:
    Given an administrator

  @req-ENF-1 @req-ENF-3 @critical
  Scenario: An agent without two-factor authentication must set it up when it is enforced
    Given an agent who has not set up two-factor authentication
    When the administrator enforces two-factor authentication for all agents
    And the agent logs in with their password
    Then the agent is asked to set up two-factor authentication before going on
    And the agent cannot reach their home page
    When the agent sets up an authenticator app and confirms it
    Then the agent is signed in
    And two-factor authentication by authenticator app is on for the agent

  @req-ENF-2 @req-ENF-3 @critical
  Scenario: A user must set up two-factor authentication when it is enforced for all users
    Given a user who has not set up two-factor authentication
    When the administrator allows two-factor authentication for users
    And the administrator enforces two-factor authentication for all users
    And the user logs in with their password
    Then the user is asked to set up two-factor authentication before going on
    When the user sets up email codes and confirms them
    Then the user is signed in

  @req-ENF-5
  Scenario Outline: Enforcement applies to the people it names and to no one else
    Given an agent who has not set up two-factor authentication
    And a user who has not set up two-factor authentication
    When the administrator allows two-factor authentication for users
    And the administrator enforces two-factor authentication for <enforced for>
    And the agent logs in with their password
    And the user logs in with their password
    Then the agent <agent outcome>
    And the user <user outcome>

    Examples:
      | enforced for          | agent outcome                                  | user outcome                                   |
      | all agents            | is asked to set up two-factor authentication   | is signed in                                   |
      | all users             | is signed in                                   | is asked to set up two-factor authentication   |
      | all agents and users  | is asked to set up two-factor authentication   | is asked to set up two-factor authentication   |

  @req-ENF-3
  Scenario: An agent who already has two-factor authentication just uses it
    Given an agent with two-factor authentication by SMS
    When the administrator enforces two-factor authentication for all agents
    And the agent logs in with their password
    Then the agent is asked for the code sent by SMS

  @req-ENF-4 @critical
  Scenario: Turning enforcement off removes nobody's two-factor authentication
    Given the administrator has enforced two-factor authentication for all agents
    And an agent with two-factor authentication by authenticator app
    When the administrator stops enforcing two-factor authentication for all agents
    And the agent logs in with their password
    Then the agent is asked for the code from their authenticator app

  @req-ENF-6 @critical
  Scenario: A session opened before enforcement is taken to set-up at its next request
    Given an agent who has not set up two-factor authentication
    And the agent is signed in
    When the administrator enforces two-factor authentication for all agents
    And the agent opens their home page
    Then the agent is asked to set up two-factor authentication before going on
    And the agent cannot reach their home page
    When the agent sets up an authenticator app and confirms it
    Then the agent is signed in
