Feature: Remembering a device
  An administrator may let people tick "Remember this device for 30 days" at the second step of
  a login. On that device the person then logs in with the password alone for 30 days; on any
  other device, and for anybody else on that one, the code is asked as before. An
  administrator's reset, replacing the factor and a password reset forget every remembered
  device. It is off until the administrator turns it on, and offered to administrators only if
  the administrator says so too.

  Background:
    Given an agent with two-factor authentication by authenticator app

  @req-REMEMBER-1 @critical
  Scenario: Remembering a device is offered only once the administrator lets people
    Given an administrator
    When the administrator looks at the security settings
    Then remembering a device is offered to nobody
    When the agent logs in with their password
    Then the agent cannot choose to remember the device
    When the administrator lets people remember a device at the second step
    And the agent logs in with their password
    Then the agent can choose to remember the device

  @req-REMEMBER-2 @critical
  Scenario Outline: A remembered device is not asked for a code for 30 days
    Given people may remember a device at the second step
    And the agent has logged in with the code from their authenticator app, remembering the device
    And the agent signs out
    When <days> days pass
    And the agent logs in with their password
    Then the agent is <outcome>

    Examples:
      | days | outcome                                         |
      | 29   | signed in                                       |
      | 30   | asked for the code from their authenticator app |

  @req-REMEMBER-2
  Scenario: Another device of the same person is still asked for a code
    Given people may remember a device at the second step
    And the agent has logged in with the code from their authenticator app, remembering the device
    When the agent logs in again with their password on another device
    Then the agent is asked for the code from their authenticator app

  @req-REMEMBER-3 @critical
  Scenario: A remembered device does not spare another person the code
    Given people may remember a device at the second step
    And another agent with two-factor authentication by authenticator app
    And the agent has logged in with the code from their authenticator app, remembering the device
    And the agent signs out
    When the other agent logs in with their password on the agent's device
    Then the other agent is asked for the code from their authenticator app

  @req-REMEMBER-4 @critical
  Scenario: An administrator's reset forgets the remembered devices
    Given people may remember a device at the second step
    And an administrator
    And the administrator has enforced two-factor authentication for all agents
    And the agent has logged in with the code from their authenticator app, remembering the device
    And the agent signs out
    When the administrator resets the agent's two-factor authentication
    And the agent logs in with their password
    And the agent sets up an authenticator app and confirms it
    And the agent signs out
    And the agent logs in with their password
    Then the agent is asked for the code from their authenticator app

  @req-REMEMBER-4 @critical
  Scenario: Replacing the factor forgets the remembered devices
    Given people may remember a device at the second step
    And the agent has logged in with the code from their authenticator app, remembering the device
    When 30 seconds pass
    And the agent changes two-factor authentication to email with their password
    And the agent proves it with the code from their authenticator app
    And the agent confirms with the code sent by email
    And the agent signs out
    And the agent logs in with their password
    Then the agent is asked for the code sent by email

  @req-REMEMBER-4 @critical
  Scenario: A password reset forgets the remembered devices
    Given people may remember a device at the second step
    And the agent has logged in with the code from their authenticator app, remembering the device
    And the agent signs out
    When the agent asks for a link to reset their password
    And the agent chooses a new password with the link sent by email
    And the agent cancels the sign-in
    And the agent logs in with their password
    Then the agent is asked for the code from their authenticator app

  @req-REMEMBER-5
  Scenario: Administrators are not offered to remember a device unless the setting says so
    Given people may remember a device at the second step
    And an administrator with two-factor authentication by authenticator app
    When the administrator logs in with their password
    Then the administrator cannot choose to remember the device

  @req-REMEMBER-5
  Scenario: Administrators are offered to remember a device where the setting says so
    Given people and administrators may remember a device at the second step
    And an administrator with two-factor authentication by authenticator app
    When the administrator logs in with their password
    Then the administrator can choose to remember the device
