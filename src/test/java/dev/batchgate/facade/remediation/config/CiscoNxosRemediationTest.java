package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CiscoNxosRemediationTest {

    private static final String PLATFORM = "cisco_nxos";

    private final RemediationEngine engine = RemediationEngine.withBundledPlatforms();

    @Test
    void should_remediate_the_aggregation_switch_when_hostname_interfaces_bgp_and_acls_change() {
        Remediation result = engine.remediate(PLATFORM,
                Fixtures.config(PLATFORM, "running"), Fixtures.config(PLATFORM, "intended"));

        assertThat(result.remediation()).isEqualTo("""
                no ntp server 10.99.0.2 use-vrf management
                no interface Ethernet1/2
                hostname dc1-agg-01a
                snmp-server location DC1 Row 1 Rack 3
                ntp server 10.99.0.3 use-vrf management
                ip access-list ACL-MGMT-IN
                 10 permit tcp 10.99.0.0/24 any eq 22
                 20 deny ip any any log
                interface Ethernet1/1
                 no description dc1-core-01 e1/49
                 description dc1-core-01 e1/50
                interface Ethernet1/3
                 shutdown
                line vty
                 session-limit 32
                router bgp 65200
                 address-family ipv4 unicast
                  default maximum-paths ibgp
                 neighbor 10.1.1.2
                  no description dc1-core-01
                  description dc1-core-01-primary
                  address-family ipv4 unicast
                   default send-community
                 neighbor 10.1.1.6
                  remote-as 65000
                  description dc1-core-02
                  address-family ipv4 unicast
                   send-community""");
    }

    @Test
    void should_roll_the_aggregation_switch_back_when_the_remediation_is_undone() {
        Remediation result = engine.remediate(PLATFORM,
                Fixtures.config(PLATFORM, "running"), Fixtures.config(PLATFORM, "intended"));

        assertThat(result.rollback()).isEqualTo("""
                no ntp server 10.99.0.3 use-vrf management
                no ip access-list ACL-MGMT-IN
                hostname dc1-agg-01
                snmp-server location DC1 Row 1 Rack 1
                ntp server 10.99.0.2 use-vrf management
                interface Ethernet1/1
                 no description dc1-core-01 e1/50
                 description dc1-core-01 e1/49
                interface Ethernet1/2
                 description legacy-fw
                 switchport access vlan 200
                 shutdown
                interface Ethernet1/3
                 no shutdown
                line vty
                 session-limit 8
                router bgp 65200
                 no neighbor 10.1.1.6
                 address-family ipv4 unicast
                  maximum-paths ibgp 4
                 neighbor 10.1.1.2
                  no description dc1-core-01-primary
                  description dc1-core-01
                  address-family ipv4 unicast
                   send-community""");
    }

    @Test
    void should_set_only_the_new_hostname_when_the_seed_switch_is_renamed() {
        Remediation result = engine.remediate(PLATFORM, "hostname switch1", "hostname switch1-new");

        assertThat(result.remediation()).isEqualTo("hostname switch1-new");
        assertThat(result.rollback()).isEqualTo("hostname switch1");
    }

    @Test
    void should_keep_a_secondary_address_when_the_primary_address_changes() {
        String running = "interface Vlan10\n  ip address 10.0.0.1/24\n  ip address 10.1.0.1/24 secondary";
        String intended = "interface Vlan10\n  ip address 10.0.0.2/24\n  ip address 10.1.0.1/24 secondary";

        Remediation result = engine.remediate(PLATFORM, running, intended);

        assertThat(result.remediation()).isEqualTo("interface Vlan10\n ip address 10.0.0.2/24");
    }
}
