package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CiscoIosRemediationTest {

    private static final String PLATFORM = "cisco_ios";

    private final RemediationEngine engine = RemediationEngine.withBundledPlatforms();

    @Test
    void should_remediate_the_edge_router_when_interfaces_bgp_acls_routes_and_ntp_change() {
        Remediation result = engine.remediate(PLATFORM,
                Fixtures.config(PLATFORM, "running"), Fixtures.config(PLATFORM, "intended"));

        assertThat(result.remediation()).isEqualTo("""
                no interface GigabitEthernet0/2
                no ip route 10.50.0.0 255.255.0.0 198.51.100.6
                no snmp-server location DC1 Row 4 Rack 12
                no ntp server 10.99.0.2
                interface GigabitEthernet0/0
                 description Uplink to core-01 Gi1/0/1 (10G)
                interface GigabitEthernet0/3
                 description Customer B handoff
                 ip address 172.16.20.1 255.255.255.0
                 no shutdown
                router bgp 65000
                 no neighbor 192.0.2.2 description core-01
                 no neighbor 203.0.113.9 remote-as 64999
                 no neighbor 203.0.113.9 description transit-old
                 neighbor 192.0.2.2 description core-01-primary
                 neighbor 203.0.113.17 remote-as 64998
                 neighbor 203.0.113.17 description transit-new
                 address-family ipv4
                  no neighbor 203.0.113.9 activate
                  no neighbor 203.0.113.9 route-map TRANSIT-IN in
                  neighbor 192.0.2.2 send-community
                  neighbor 203.0.113.17 activate
                  neighbor 203.0.113.17 route-map TRANSIT-IN in
                ip route 10.60.0.0 255.255.0.0 192.0.2.2
                ip access-list extended MGMT-SSH
                 permit tcp 10.99.0.0 0.0.0.255 any eq 22
                 deny ip any any log
                snmp-server location DC1 Row 5 Rack 2
                line vty 0 4
                 access-class MGMT-SSH in
                ntp server 10.99.0.3""");
    }

    @Test
    void should_roll_the_edge_router_back_when_the_remediation_is_undone() {
        Remediation result = engine.remediate(PLATFORM,
                Fixtures.config(PLATFORM, "running"), Fixtures.config(PLATFORM, "intended"));

        assertThat(result.rollback()).isEqualTo("""
                no ip route 10.60.0.0 255.255.0.0 192.0.2.2
                no ip access-list extended MGMT-SSH
                no snmp-server location DC1 Row 5 Rack 2
                no ntp server 10.99.0.3
                interface GigabitEthernet0/0
                 description Uplink to core-01 Gi1/0/1
                interface GigabitEthernet0/2
                 description Old backup link
                 ip address 198.51.100.5 255.255.255.252
                 shutdown
                interface GigabitEthernet0/3
                 no ip address 172.16.20.1 255.255.255.0
                 shutdown
                 description Spare
                router bgp 65000
                 no neighbor 192.0.2.2 description core-01-primary
                 no neighbor 203.0.113.17 remote-as 64998
                 no neighbor 203.0.113.17 description transit-new
                 neighbor 192.0.2.2 description core-01
                 neighbor 203.0.113.9 remote-as 64999
                 neighbor 203.0.113.9 description transit-old
                 address-family ipv4
                  no neighbor 192.0.2.2 send-community
                  no neighbor 203.0.113.17 activate
                  no neighbor 203.0.113.17 route-map TRANSIT-IN in
                  neighbor 203.0.113.9 activate
                  neighbor 203.0.113.9 route-map TRANSIT-IN in
                ip route 10.50.0.0 255.255.0.0 198.51.100.6
                snmp-server location DC1 Row 4 Rack 12
                line vty 0 4
                 no access-class MGMT-SSH in
                ntp server 10.99.0.2""");
    }

    @Test
    void should_set_the_new_description_without_negating_the_old_when_an_interface_description_changes() {
        Remediation result = engine.remediate(PLATFORM,
                "interface Gi0/1\n description old uplink\n", "interface Gi0/1\n description new uplink\n");

        assertThat(result.remediation()).isEqualTo("interface Gi0/1\n description new uplink");
        assertThat(result.rollback()).isEqualTo("interface Gi0/1\n description old uplink");
    }

    @Test
    void should_negate_a_removed_interface_alone_when_it_has_children() {
        String running = """
                interface Gi0/1
                 description to be removed
                 ip address 10.0.0.1 255.255.255.0
                 no shutdown
                interface Gi0/2
                 description stays
                """;

        Remediation result = engine.remediate(PLATFORM, running, "interface Gi0/2\n description stays");

        assertThat(result.remediation()).isEqualTo("no interface Gi0/1");
        assertThat(result.rollback()).isEqualTo("""
                interface Gi0/1
                 description to be removed
                 ip address 10.0.0.1 255.255.255.0
                 no shutdown""");
    }

    @Test
    void should_bring_the_interface_up_last_when_shutdown_becomes_no_shutdown() {
        Remediation result = engine.remediate(PLATFORM,
                "interface Gi0/3\n shutdown", "interface Gi0/3\n no shutdown\n description now in use");

        assertThat(result.remediation()).isEqualTo("interface Gi0/3\n description now in use\n no shutdown");
        assertThat(result.rollback()).isEqualTo("interface Gi0/3\n shutdown\n no description now in use");
    }

    @Test
    void should_keep_a_secondary_address_apart_from_the_primary_when_only_the_secondary_changes() {
        String running = "interface Vlan10\n ip address 10.0.0.1 255.255.255.0\n ip address 10.1.0.1 255.255.255.0 secondary";
        String intended = "interface Vlan10\n ip address 10.0.0.1 255.255.255.0\n ip address 10.2.0.1 255.255.255.0 secondary";

        Remediation result = engine.remediate(PLATFORM, running, intended);

        assertThat(result.remediation()).isEqualTo("""
                interface Vlan10
                 no ip address 10.1.0.1 255.255.255.0 secondary
                 ip address 10.2.0.1 255.255.255.0 secondary""");
    }

    @Test
    void should_set_logging_console_back_to_debugging_when_it_is_removed() {
        Remediation result = engine.remediate(PLATFORM, "logging console warnings\nhostname r1", "hostname r1");

        assertThat(result.remediation()).isEqualTo("logging console debugging");
    }

    @Test
    void should_remove_a_banner_by_its_type_when_the_intended_config_has_none() {
        String running = "hostname r1\nbanner motd ^C\nAuthorized access only\n^C\n";

        Remediation result = engine.remediate(PLATFORM, running, "hostname r1");

        assertThat(result.remediation()).isEqualTo("no banner motd");
        assertThat(result.rollback()).isEqualTo("banner motd ^C\nAuthorized access only\n^C");
    }

    @Test
    void should_ignore_the_show_run_header_and_section_terminators_when_parsing() {
        String running = """
                Building configuration...
                Current configuration : 120 bytes
                version 15.9
                router bgp 65000
                 address-family ipv4
                  network 10.0.0.0
                 exit-address-family
                !
                end
                """;

        Remediation result = engine.remediate(PLATFORM, running, "router bgp 65000\n address-family ipv4\n  network 10.0.0.0");

        assertThat(result.remediation()).isEmpty();
    }
}
