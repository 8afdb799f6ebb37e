Feature: Allowing two-factor authentication and its methods
  Under Configuration > Advanced Settings, heading Security, an administrator allows
  two-factor authentication for agents and for users, and chooses which methods may be
  used: email codes, SMS codes, authenticator apps. Email can be kept as a last resort,
  offered only to people who can use no other method. Settings that contradict each other
  are refused with the reason. Nobody's two-factor authentication is ever dropped silently.

  Background:
    Given an administrator

  @req-SET-1
  Scenario: What is allowed before an administrator changes anything
    When the administrator looks at the security settings
    Then two-factor authentication is allowed for agents
    And two-factor authentication is not allowed for users
    And two-factor authentication is not enforced for anybody
    And email codes, SMS codes and authenticator apps are allowed

  @req-ALLOW-1 @critical
  Scenario: Users cannot enable two-factor authentication unless it is allowed for users
    Given a user who has not set up two-factor authentication
    And the user is signed in
    When the user tries to enable two-factor authentication by email
    Then the user is told two-factor authentication is not allowed for them
    When the administrator allows two-factor authentication for users
    And the user enables two-factor authentication by email
    And the user confirms with the code sent by email
    Then two-factor authentication by email is on for the user

  @req-ALLOW-2 @critical
  Scenario: Only the allowed methods are offered
    Given an agent who has not set up two-factor authentication
    When the administrator allows only authenticator apps
    And the agent signs in
    Then the agent is offered only an authenticator app
    When the agent tries to enable two-factor authentication by email
    Then the agent is told email is not allowed

  @req-ALLOW-3
  Scenario: Email as a last resort is offered only when nothing else is allowed
    Given an agent who has not set up two-factor authentication
    When the administrator allows email only when no other method is available
    And the agent signs in
    Then the agent is offered SMS codes and an authenticator app, but not email
    When the administrator disallows SMS codes and authenticator apps
    Then the agent is offered only email

  @req-ALLOW-4 @critical
  Scenario: A person whose method is no longer allowed must set up another at the next login
    Given an agent with two-factor authentication by SMS
    When the administrator disallows SMS codes
    And the agent logs in with their password
    Then the agent is asked for the code sent by SMS
    When the agent enters the code sent by SMS
    Then the agent is asked to set up two-factor authentication before going on
    And the agent is offered email codes and an authenticator app
    When the agent sets up an authenticator app and confirms it
    Then the agent is signed in
    And two-factor authentication by authenticator app is on for the agent

  @req-SET-2
  Scenario Outline: Settings that contradict each other are refused with the reason
    When the administrator tries to <contradiction>
    Then the administrator is told "<reason>"
    And the security settings are unchanged

    Examples:
      | contradiction                                                       | reason                                                                        |
      | enforce two-factor authentication for all users while not allowing it | Two-factor cannot be enforced for users while it is not allowed for users.  |
      | disallow every method while two-factor authentication is allowed     | Allow at least one method (email, SMS or authenticator app) while two-factor is allowed. |
