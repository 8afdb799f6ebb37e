@ui-only
Feature: Where things are on screen
  The guide's own click paths: the profile picture in the top right opens the settings
  pane; "Password & Security", then "Two-Factor Authentication", then "Enable". An
  administrator finds the security settings under Configuration > Advanced Settings.

  @req-UI-1
  Scenario: The profile picture leads to enabling two-factor authentication
    Given an agent who has not set up two-factor authentication
    And the agent is signed in
    When the agent clicks their profile picture in the top right
    And the agent clicks "Password & Security"
    And the agent clicks "Two-Factor Authentication"
    Then the agent sees "Enable"

  @req-UI-2
  Scenario: The security settings are under Configuration, Advanced Settings
    Given an administrator
    And the administrator is signed in
    When the administrator clicks "Configuration"
    And the administrator clicks "Advanced Settings"
    Then the administrator sees the heading "Security"
