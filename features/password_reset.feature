Feature: Resetting a forgotten password
  A person who has forgotten their password asks for a link from the login page ("Forgot your
  password?"), which is sent to their email address. The link works once, within 60 minutes,
  and only the newest one works. Saving a new password with it signs the person out everywhere
  and leads where a right password leads: a person with two-factor authentication still enters
  a code before reaching anything, so a reset never gets around the second factor. Asking for
  a link gets the same answer whether or not an account uses the address, and is limited.

  Background:
    Given an agent with two-factor authentication by authenticator app

  @req-PWRESET-1 @critical
  Scenario: After a password reset the agent still enters a code
    When the agent asks for a link to reset their password
    And the agent chooses a new password with the link sent by email
    Then the agent is asked for the code from their authenticator app
    And the agent cannot reach their home page
    And the agent receives an email saying their password was changed
    When the agent enters the code from their authenticator app
    Then the agent is signed in

  @req-PWRESET-1
  Scenario: The new password replaces the old one
    Given the agent has reset their password with the link sent by email
    When the agent logs in with their old password
    Then they are told "The email address or password is incorrect."
    When the agent logs in with their password
    Then the agent is asked for the code from their authenticator app

  @req-PWRESET-2 @critical
  Scenario: A link works once
    Given the agent has reset their password with the link sent by email
    When the agent chooses another new password with the same link
    Then the agent is told "This link to reset your password has already been used. Ask for a new one if you need to."
    When the agent logs in with their password
    Then the agent is asked for the code from their authenticator app

  @req-PWRESET-2 @critical
  Scenario Outline: A link works within 60 minutes
    When the agent asks for a link to reset their password
    And <minutes> minutes pass
    And the agent chooses a new password with the link sent by email
    Then the agent is <outcome>

    Examples:
      | minutes | outcome                                                                                                     |
      | 59      | asked for the code from their authenticator app                                                            |
      | 60      | told "This link to reset your password has expired: links work for 60 minutes. Ask for a new one."          |

  @req-PWRESET-2
  Scenario: Only the newest link works
    When the agent asks for a link to reset their password 2 times
    And the agent chooses a new password with the first link sent
    Then the agent is told "This link to reset your password no longer works: a newer link was sent, or the password was changed since. Use the newest link, or ask for a new one."

  @req-PWRESET-2 @critical
  Scenario: A sign-in or a set-up in progress is no link to reset the password
    Given another agent who has not set up two-factor authentication
    And the other agent is signed in
    When the other agent enables two-factor authentication with an authenticator app
    And the other agent chooses a new password with a link made of their set-up's token
    Then the other agent is told "This link to reset your password is not valid. Open the whole link from the email, or ask for a new one."
    When someone else logs in with the agent's password
    And they choose a new password with a link made of their sign-in's token
    Then they are told "This link to reset your password is not valid. Open the whole link from the email, or ask for a new one."
    When the agent logs in with their password
    Then the agent is asked for the code from their authenticator app

  @req-PWRESET-7
  Scenario: Asking for a link interrupts no sign-in
    When the agent logs in with their password
    And someone asks for a link to reset the agent's password
    And the agent enters the code from their authenticator app
    Then the agent is signed in

  @req-PWRESET-3 @critical
  Scenario: A password reset signs the person out everywhere
    Given the agent is signed in on two devices
    When the agent asks for a link to reset their password
    And the agent chooses a new password with the link sent by email
    Then the agent cannot reach their home page on the other device

  @req-PWRESET-4 @critical
  Scenario: Asking for a link for an address with no account gets the same answer
    When the agent asks for a link to reset their password
    Then they are told that a link was sent if an account uses the address
    When someone asks for a link to reset the password of an address that has no account
    Then they are told that a link was sent if an account uses the address
    And no email reaches that address

  @req-PWRESET-5
  Scenario: Asking for links is limited, alike for an address with no account
    When the agent asks for a link to reset their password 3 times
    And the agent asks for a link to reset their password
    Then the agent is told to wait before asking for another link
    When someone asks for a link to reset the password of an address that has no account 4 times
    Then they are told to wait before asking for another link

  @req-PWRESET-5
  Scenario Outline: Each limit on links counts only the requests it is about
    Given <n> links to reset a password have just been asked for <addresses> from <where>
    When the agent asks for a link to reset their password
    Then the agent is told that a link was sent if an account uses the address
    When the agent asks for a link to reset their password
    Then the agent is <then>

    Examples: 3 for one address from one network, 10 for one address, 20 from one network
      | n  | addresses           | where               | then                                                                               |
      | 3  | other addresses     | the agent's network | told that a link was sent if an account uses the address                           |
      | 3  | the agent's address | other networks      | told that a link was sent if an account uses the address                           |
      | 9  | the agent's address | other networks      | told "Too many links to reset a password were asked for. Try again in 60 minutes." |
      | 19 | other addresses     | the agent's network | told "Too many links to reset a password were asked for. Try again in 60 minutes." |

  @req-PWRESET-5
  Scenario: The wait is told in whole minutes, rounded up, and ends an hour after the links it counts
    When the agent asks for a link to reset their password 3 times
    And 58 minutes pass
    And 59 seconds pass
    And the agent asks for a link to reset their password
    Then the agent is told "Too many links to reset a password were asked for. Try again in 2 minutes."
    And the exact wait given to programs is 61 seconds
    When 1 minute passes
    And the agent asks for a link to reset their password
    Then the agent is told "Too many links to reset a password were asked for. Try again in 1 minute."
    And the exact wait given to programs is 1 second
    When 1 second passes
    And the agent asks for a link to reset their password
    Then the agent is told that a link was sent if an account uses the address

  @req-PWRESET-6
  Scenario: A new password that is too short is refused, and the link still works
    When the agent asks for a link to reset their password
    And the agent chooses a new password of 11 characters with the link sent by email
    Then the agent is told "Choose a password of at least 12 characters."
    When the agent chooses a new password with the link sent by email
    Then the agent is asked for the code from their authenticator app

  @req-PWRESET-6
  Scenario Outline: A new password of 12 to 1024 characters is taken
    When the agent asks for a link to reset their password
    And the agent chooses a new password of <length> characters with the link sent by email
    Then the agent is asked for the code from their authenticator app

    Examples:
      | length |
      | 12     |
      | 1024   |
