Feature: Logging in
  Agents (the staff) and users (the customers' people, who use the portal) log in with
  their email address and password. When two-factor authentication is on for them, a
  second step asks for a code; nothing is reachable until that step is passed.

  @req-LOGIN-1 @critical
  Scenario: An agent without two-factor authentication logs in with the password alone
    Given an agent who has not set up two-factor authentication
    When the agent logs in with their password
    Then the agent is signed in

  @req-LOGIN-2 @critical
  Scenario: A wrong password is refused without saying which part was wrong
    Given an agent who has not set up two-factor authentication
    When the agent logs in with a wrong password
    Then the agent is told "The email address or password is incorrect."
    And the agent is not signed in

  @req-LOGIN-2
  Scenario: An unknown email address gets the same answer as a wrong password
    When someone logs in as a person who has no account
    Then they are told "The email address or password is incorrect."

  @req-ENABLE-2 @req-SESSION-1 @critical
  Scenario: Passing the password step alone reaches nothing
    Given an agent with two-factor authentication by authenticator app
    When the agent logs in with their password
    Then the agent is asked for the code from their authenticator app
    And the agent cannot reach their home page

  @req-STORE-1
  Scenario: Two-factor authentication survives a restart of the application
    Given an agent with two-factor authentication by email
    When the application restarts
    And the agent logs in with their password
    Then the agent is asked for the code sent by email

  @req-SESSION-5 @critical
  Scenario: A sign-in cancelled at the code step cannot be finished, even from a copy of it
    Given an agent with two-factor authentication by email
    When the agent logs in with their password
    And someone copies the sign-in from the agent's device
    And the agent cancels the sign-in
    And someone enters the code sent to the agent by email on the copy
    Then they are told "This sign-in has expired or was replaced. Sign in again."
    And they are not signed in
