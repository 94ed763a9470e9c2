package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AristaEosRemediationTest {

    private static final String PLATFORM = "arista_eos";

    private final RemediationEngine engine = RemediationEngine.withBundledPlatforms();

    @Test
    void should_remediate_the_leaf_switch_when_interfaces_bgp_acls_snmp_and_ntp_change() {
        Remediation result = engine.remediate(PLATFORM,
                Fixtures.config(PLATFORM, "running"), Fixtures.config(PLATFORM, "intended"));

        assertThat(result.remediation()).isEqualTo("""
                no ntp server vrf MGMT 10.99.0.2
                no interface Ethernet11
                ntp server vrf MGMT 10.99.0.3
                snmp-server location DC1 Row 3 Rack 1
                interface Ethernet1
                 no description spine-01 Ethernet1
                 description spine-01 Ethernet1/1
                interface Ethernet2
                 ip address 10.0.1.5/31
                interface Ethernet10
                 default logging event link-status
                interface Ethernet12
                 no shutdown
                ip access-list SNMP-POLLERS
                 10 permit udp 10.99.0.0/24 any eq snmp
                 20 deny ip any any log
                router bgp 65101
                 neighbor 10.0.1.2 description spine-02-new
                 neighbor 10.0.1.4 peer group SPINES
                 neighbor 10.0.1.4 description spine-03""");
    }

    @Test
    void should_roll_the_leaf_switch_back_when_the_remediation_is_undone() {
        Remediation result = engine.remediate(PLATFORM,
                Fixtures.config(PLATFORM, "running"), Fixtures.config(PLATFORM, "intended"));

        assertThat(result.rollback()).isEqualTo("""
                no ntp server vrf MGMT 10.99.0.3
                no ip access-list SNMP-POLLERS
                ntp server vrf MGMT 10.99.0.2
                snmp-server location DC1 Row 2 Rack 7
                interface Ethernet1
                 no description spine-01 Ethernet1/1
                 description spine-01 Ethernet1
                interface Ethernet2
                 ip address 10.0.1.3/31
                interface Ethernet10
                 logging event link-status
                interface Ethernet11
                 description old-server
                 switchport access vlan 20
                 shutdown
                interface Ethernet12
                 shutdown
                router bgp 65101
                 no neighbor 10.0.1.4 peer group SPINES
                 no neighbor 10.0.1.4 description spine-03
                 neighbor 10.0.1.2 description spine-02""");
    }

    @Test
    void should_set_only_the_new_hostname_when_the_hostname_changes() {
        Remediation result = engine.remediate(PLATFORM, "hostname leaf-01", "hostname leaf-01a");

        assertThat(result.remediation()).isEqualTo("hostname leaf-01a");
        assertThat(result.rollback()).isEqualTo("hostname leaf-01");
    }

    @Test
    void should_negate_the_old_community_when_the_community_name_changes() {
        Remediation result = engine.remediate(PLATFORM,
                "snmp-server community oldName ro", "snmp-server community newName ro");

        assertThat(result.remediation()).isEqualTo("no snmp-server community oldName ro\nsnmp-server community newName ro");
    }

    @Test
    void should_keep_the_other_neighbours_description_when_one_neighbour_loses_its_description() {
        String running = """
                router bgp 65101
                   neighbor 10.0.1.0 description spine-01
                   neighbor 10.0.1.2 description spine-02
                """;

        Remediation result = engine.remediate(PLATFORM, running, "router bgp 65101\n   neighbor 10.0.1.0 description spine-01");

        assertThat(result.remediation()).isEqualTo("router bgp 65101\n no neighbor 10.0.1.2 description spine-02");
    }

    @Test
    void should_read_an_eos_banner_up_to_eof_when_it_has_no_delimiter() {
        String running = "banner motd\nLab switch\nEOF\nhostname leaf-01";
        String intended = "banner motd\nProduction switch\nEOF\nhostname leaf-01";

        Remediation result = engine.remediate(PLATFORM, running, intended);

        assertThat(result.remediation()).isEqualTo("banner motd\nProduction switch\nEOF");
    }
}
