Feature: Enabling two-factor authentication for your own account
  An agent can secure their own account with two-factor authentication: in their
  settings, under "Password & Security", "Two-Factor Authentication", they click "Enable".
  From then on they cannot log in without entering a code sent to them securely. Without
  an authenticator app the code comes by email or by SMS to their mobile.

  A method becomes active only once the first code through it has been entered, so that a
  mistyped address, number or scan never locks anybody out. A code sent by email or SMS
  that went astray can be sent again.

  Background:
    Given an agent who has not set up two-factor authentication
    And the agent is signed in

  @req-ENABLE-1 @req-ENABLE-3 @critical
  Scenario: Enabling two-factor authentication by email
    When the agent enables two-factor authentication by email
    And the agent confirms with the code sent by email
    Then two-factor authentication by email is on for the agent
    And the next time the agent logs in they are asked for the code sent by email

  @req-ENABLE-1 @req-ENABLE-3 @req-SMS-1 @critical
  Scenario: Enabling two-factor authentication by SMS confirms the mobile number first
    When the agent enables two-factor authentication by SMS to their mobile
    And the agent confirms with the code sent by SMS
    Then two-factor authentication by SMS is on for the agent
    And the next time the agent logs in they are asked for the code sent by SMS

  @req-ENABLE-1 @req-APP-1 @critical
  Scenario: Enabling two-factor authentication with an authenticator app
    When the agent enables two-factor authentication with an authenticator app
    And the agent scans the QR code with their authenticator app
    And the agent confirms with the code from their authenticator app
    Then two-factor authentication by authenticator app is on for the agent
    And the next time the agent logs in they are asked for the code from their authenticator app

  @req-ENABLE-4
  Scenario: Enabling two-factor authentication needs the password again
    When the agent tries to enable two-factor authentication by email with a wrong password
    Then the agent is told their password is not correct
    And two-factor authentication is still off for the agent

  @req-LOGIN-5
  Scenario: Wrong passwords entered again while signed in are slowed down and recorded like sign-ins
    Given an administrator
    When the agent tries to enable two-factor authentication by email with a wrong password 5 times
    And the agent tries to enable two-factor authentication by email
    Then the agent is told "Too many failed sign-ins for this account. Try again in 1 second."
    When the administrator reads the audit trail of the agent
    Then the audit trail reads, newest first:
      | what                                      | from               |
      | Sign-in refused: too many failed sign-ins | the agent's device |
      | Wrong password entered again              | the agent's device |

  @req-ENABLE-5
  Scenario: Nothing changes until the first code is entered
    When the agent enables two-factor authentication with an authenticator app
    But the agent does not confirm it
    Then two-factor authentication is still off for the agent
    And the next time the agent logs in they are signed in with the password alone

  @req-ENABLE-5
  Scenario: A wrong confirmation code does not turn two-factor authentication on
    When the agent enables two-factor authentication by SMS to their mobile
    And the agent confirms with a wrong code
    Then the code is refused
    And two-factor authentication is still off for the agent

  @req-ENABLE-7
  Scenario: A new code can be asked for while setting up, and only the newest one confirms it
    When the agent enables two-factor authentication by email
    And the agent keeps the code sent by email
    And 30 seconds pass
    And the agent asks for a new code to finish the set-up
    Then the agent receives another set-up code by email
    When the agent confirms with the code kept earlier
    Then the code is refused
    When the agent confirms with the code sent by email
    Then two-factor authentication by email is on for the agent

  @req-ENABLE-7
  Scenario: A new set-up code cannot be asked for again straight away
    When the agent enables two-factor authentication by SMS to their mobile
    And the agent asks for a new code to finish the set-up
    Then the agent is told to wait 30 seconds before asking for another code

  @req-NOTIFY-1
  Scenario: The agent is told by email when two-factor authentication is turned on
    When the agent enables two-factor authentication by email
    And the agent confirms with the code sent by email
    Then the agent receives an email saying two-factor authentication by email is on
