Feature: Codes sent by email and by SMS
  A person who signs in with email or SMS codes gets a new 6-digit code at the moment they
  log in. A code works once, for the sign-in that asked for it, for at most 10 minutes.
  Asking for a new code makes the older one useless, and new codes cannot be asked for
  again and again, nor at all while wrong codes have locked the second step.

  Background:
    Given an agent with two-factor authentication by email

  @req-CODE-1 @critical
  Scenario: A code is sent at the moment of logging in and lets the agent in
    When the agent logs in with their password
    Then the agent receives a sign-in code by email
    When the agent enters the code sent by email
    Then the agent is signed in

  @req-CODE-2
  Scenario Outline: A code is valid for 10 minutes
    When the agent logs in with their password
    And <minutes> minutes pass
    And the agent enters the code sent by email
    Then the agent is <outcome>

    Examples:
      | minutes | outcome       |
      | 9       | signed in     |
      | 10      | not signed in |

  @req-CODE-3
  Scenario: A code that let the agent in cannot be used again, even with the password
    Given the agent has logged in with the code sent by email
    When someone else logs in with the agent's password and that same code
    Then the code is refused

  @req-CODE-4 @critical
  Scenario: Asking for a new code makes the older one useless
    When the agent logs in with their password
    And the agent keeps the code sent by email
    And 30 seconds pass
    And the agent asks for a new code
    Then the agent receives another sign-in code by email
    When the agent enters the code kept earlier
    Then the code is refused
    When the agent enters the code sent by email
    Then the agent is signed in

  @req-CODE-5
  Scenario: A new code cannot be asked for again straight away
    When the agent logs in with their password
    And the agent asks for a new code
    Then the agent is told to wait 30 seconds before asking for another code

  @req-CODE-5
  Scenario: No more than five codes are sent within 15 minutes
    When the agent logs in with their password
    And the agent asks for a new code 4 times, 30 seconds apart
    And 30 seconds pass
    And the agent asks for a new code
    Then the agent is told that too many codes were sent, and to try again in 13 minutes

  @req-LOCK-1
  Scenario: No new code is sent while the second step is locked
    When the agent logs in with their password
    And the agent enters 5 wrong codes
    And 30 seconds pass
    And the agent asks for a new code
    Then the agent is told the second step is locked for 15 minutes
    And the agent has received no sign-in code by email but the first

  @req-CODE-6
  Scenario: A code works only for the sign-in that asked for it
    When the agent logs in with their password
    And the agent keeps the code sent by email
    And the agent logs in again with their password on another device
    And the agent enters the code kept earlier on the other device
    Then the code is refused

  @req-SMS-1 @req-CODE-1
  Scenario: A code by SMS goes to the confirmed mobile number
    Given a user with two-factor authentication by SMS
    When the user logs in with their password
    Then the user receives a sign-in code by SMS on their mobile
    When the user enters the code sent by SMS
    Then the user is signed in
