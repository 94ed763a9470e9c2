package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSecretsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            enable secret 9 $9$4cR9dAqLkP1Fzs$Xq3vM1nB7rT2yU8iO0pL        | enable secret 9 ***
            enable secret s3cret                                           | enable secret ***
            enable password 7 0822455D0A16                                 | enable password 7 ***
            username netops privilege 15 secret 9 $9$nJqR3dZK0s2gU$Ab1Cd2  | username netops privilege 15 secret 9 ***
            username admin password 0 cisco123                             | username admin password 0 ***
            username admin password 5 $5$KLMNOP$Ab3Cd5  role network-admin | username admin password 5 ***  role network-admin
            username admin privilege 15 role network-admin secret sha512 $6$Q4vHxZt1$u8Yw | username admin privilege 15 role network-admin secret sha512 ***
            ' secret 10 $6$Jf8.$Qm2Wn4Er6Ty8Ui0Op2'                        | ' secret 10 ***'
            snmp-server community n0tPubl1c RO                            | snmp-server community *** RO
            snmp-server community n0c-r3ad group network-operator          | snmp-server community *** group network-operator
            snmp-server host 10.99.0.5 vrf MGMT version 2c publ1c          | snmp-server host 10.99.0.5 vrf MGMT version 2c ***
            snmp-server user ops network-admin auth md5 0x1a2b priv 0x3c4d localizedkey | snmp-server user ops network-admin auth md5 *** priv *** localizedkey
            snmp-server user ops OPS v3 auth sha AuthPass1 priv aes 128 PrivPass1 | snmp-server user ops OPS v3 auth sha *** priv aes 128 ***
            ' key-string 7 0822455D0A16'                                   | ' key-string 7 ***'
            ' authentication md5 key-string s3cr3t'                        | ' authentication md5 key-string ***'
            ' ip ospf authentication-key 7 0822455D0A16'                   | ' ip ospf authentication-key 7 ***'
            ' ip ospf message-digest-key 1 md5 7 0822455D0A16'             | ' ip ospf message-digest-key 1 md5 7 ***'
            ntp authentication-key 1 md5 NtpK3y 7                          | ntp authentication-key 1 md5 *** 7
            crypto isakmp key Pr3Shared address 203.0.113.1                | crypto isakmp key *** address 203.0.113.1
            ' pre-shared-key address 203.0.113.1 key Pr3Shared'            | ' pre-shared-key address 203.0.113.1 key ***'
            ' pre-shared-key local Pr3Shared'                              | ' pre-shared-key local ***'
            tacacs-server host 10.99.0.40 key 7 "fewhg123"                 | tacacs-server host 10.99.0.40 key 7 ***
            tacacs-server key T4cacsKey                                    | tacacs-server key ***
            radius-server host 10.99.0.41 auth-port 1812 key R4diusKey     | radius-server host 10.99.0.41 auth-port 1812 key ***
            ' key 7 082245'                                                | ' key 7 ***'
            ' key T4cacsKey'                                               | ' key ***'
            ' neighbor 10.0.0.1 password 7 0822455D0A16'                   | ' neighbor 10.0.0.1 password 7 ***'
            '  password encrypted 0822455D0A16'                            | '  password encrypted ***'
            """)
    void should_mask_the_secret_and_keep_the_command_when_a_line_holds_one(String line, String masked) {
        assertThat(ConfigSecrets.mask(line)).isEqualTo(masked);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            service password-encryption
            key chain OSPF-KEYS
            ' key 1'
            crypto key generate rsa modulus 2048
            ' description key customer link'
            hostname edge-rtr-01
            """)
    void should_leave_the_line_alone_when_it_holds_no_secret(String line) {
        assertThat(ConfigSecrets.mask(line)).isEqualTo(line);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"running config, line 2: 'enable secret 5 ***' is indented but no line above it opens a section",
            "intended config, line 4: 'snmp-server community ***' is indented to column 2", "' key 7 ***'"})
    void should_leave_a_mask_and_its_closing_quote_alone_when_masking_a_message_again(String message) {
        assertThat(ConfigSecrets.mask(message)).isEqualTo(message);
    }

    @Test
    void should_mask_every_secret_when_given_a_whole_config() {
        String config = Fixtures.config("cisco_ios", "running") + Fixtures.config("cisco_nxos", "running")
                + Fixtures.config("arista_eos", "running") + Fixtures.config("cisco_iosxr", "running");

        assertThat(ConfigSecrets.mask(config))
                .doesNotContain("Xq3vM1nB7rT2yU8iO0pLkJh", "Ab1Cd2Ef3Gh4Ij5", "n0tPubl1c", "fewhg123",
                        "n0c-r3ad", "Ab3Cd5Ef7Gh9Ij1", "s3cr3tRO", "u8Yw2Lk9Pq3Rs7", "r3ad0nly", "Qm2Wn4Er6Ty8")
                .contains("hostname edge-rtr-01", "interface GigabitEthernet0/0/0/0");
    }

    @Test
    void should_give_the_same_text_when_masking_twice() {
        String once = ConfigSecrets.mask(Fixtures.config("cisco_ios", "running"));

        assertThat(ConfigSecrets.mask(once)).isEqualTo(once);
    }
}
