Feature: Changing the method of two-factor authentication
  A person who has two-factor authentication can change to another method: "Password &
  Security", "Two-Factor Authentication", "Change method". It takes the password and a code
  from the current method, so that somebody who knows only the password cannot put a
  factor of their own in the person's place. Only the newest set-up can be confirmed, and
  turning two-factor authentication off voids a set-up left open.

  @req-CHANGE-1 @critical
  Scenario: The password alone does not replace the factor
    Given an agent with two-factor authentication by authenticator app
    And the agent is signed in
    When 30 seconds pass
    And the agent changes two-factor authentication to email with their password
    Then the agent is asked for the code from their authenticator app
    When the agent proves it with a wrong code
    Then the code is refused
    And two-factor authentication by authenticator app is on for the agent

  @req-CHANGE-1 @req-SESSION-4 @critical
  Scenario: Changing the method with a code from the current one signs the agent out elsewhere
    Given an agent with two-factor authentication by authenticator app
    And the agent is signed in on two devices
    When 30 seconds pass
    And the agent changes two-factor authentication to email with their password
    And the agent proves it with the code from their authenticator app
    And the agent confirms with the code sent by email
    Then two-factor authentication by email is on for the agent
    And the agent receives an email saying two-factor authentication by email is on
    And the agent cannot reach their home page on the other device

  @req-CHANGE-1 @req-ENABLE-7
  Scenario: A new code of the current method can be asked for while changing it
    Given an agent with two-factor authentication by email
    And the agent is signed in
    When 30 seconds pass
    And the agent changes two-factor authentication to SMS with their password
    Then the agent is asked for the code sent by email
    When the agent keeps the code sent by email
    And 30 seconds pass
    And the agent asks for a new code to prove it
    And the agent proves it with the code kept earlier
    Then the code is refused
    When the agent proves it with the code sent by email
    And the agent confirms with the code sent by SMS
    Then two-factor authentication by SMS is on for the agent

  @req-ENABLE-6
  Scenario: Only the newest set-up can be confirmed
    Given an agent who has not set up two-factor authentication
    And the agent is signed in on two devices
    When the agent enables two-factor authentication with an authenticator app
    And the agent scans the QR code with their authenticator app
    And the agent enables two-factor authentication by email on the other device
    And the agent confirms with the code from their authenticator app
    Then the agent is told "This request has expired or was replaced. Start again."
    And two-factor authentication is still off for the agent

  @req-ENABLE-6
  Scenario: Turning two-factor authentication off voids a set-up left open
    Given an agent with two-factor authentication by authenticator app
    And the agent is signed in on two devices
    When 30 seconds pass
    And the agent changes two-factor authentication to email with their password on the other device
    And the agent proves it with the code from their authenticator app on the other device
    And 30 seconds pass
    And the agent turns off two-factor authentication with their password and the code from their authenticator app
    And the agent confirms with the code sent by email on the other device
    Then the agent is told "This request has expired or was replaced. Start again."
    And two-factor authentication is off for the agent
