package dev.batchgate.facade.remediation.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CiscoIosxrRemediationTest {

    private static final String PLATFORM = "cisco_iosxr";

    private final RemediationEngine engine = RemediationEngine.withBundledPlatforms();

    @Test
    void should_remediate_the_pe_router_when_vrfs_acls_policies_and_bgp_change() {
        Remediation result = engine.remediate(PLATFORM,
                Fixtures.config(PLATFORM, "running"), Fixtures.config(PLATFORM, "intended"));

        assertThat(result.remediation()).isEqualTo("""
                vrf CUST-B
                 rd 65300:200
                 address-family ipv4 unicast
                  import route-target
                   65300:200
                  export route-target
                   65300:200
                snmp-server location DC2 Cage 5
                ipv4 access-list EDGE-IN
                 20 permit icmp any host 10.255.3.1
                ipv4 access-list MGMT-IN
                 10 permit tcp 10.99.0.0 0.0.0.255 any eq ssh
                 20 deny ipv4 any any log
                interface GigabitEthernet0/0/0/0
                 no description to-core-01
                 description to-core-01 (primary)
                interface GigabitEthernet0/0/0/1
                 ipv4 address 172.31.2.1 255.255.255.0
                interface GigabitEthernet0/0/0/2
                 no shutdown
                 description spare-uplink
                prefix-set CUST-A-PREFIXES
                 172.31.0.0/16 le 24,
                 172.30.0.0/16 le 24
                end-set
                route-policy CUST-A-IN
                 if destination in CUST-A-PREFIXES then
                  set local-preference 200
                  pass
                 else
                  drop
                 endif
                end-policy
                router bgp 65300
                 neighbor 192.0.2.10
                  description core-01-primary
                 neighbor 192.0.2.14
                  remote-as 65001
                  description core-02
                  address-family ipv4 unicast
                   route-policy PASS in
                   route-policy PASS out""");
    }

    @Test
    void should_roll_the_pe_router_back_and_remove_the_vrf_last_when_the_remediation_is_undone() {
        Remediation result = engine.remediate(PLATFORM,
                Fixtures.config(PLATFORM, "running"), Fixtures.config(PLATFORM, "intended"));

        assertThat(result.rollback()).isEqualTo("""
                no ipv4 access-list MGMT-IN
                snmp-server location DC2 Cage 4
                ipv4 access-list EDGE-IN
                 20 permit icmp any any
                interface GigabitEthernet0/0/0/0
                 no description to-core-01 (primary)
                 description to-core-01
                interface GigabitEthernet0/0/0/1
                 ipv4 address 172.31.1.1 255.255.255.0
                interface GigabitEthernet0/0/0/2
                 no description spare-uplink
                 shutdown
                prefix-set CUST-A-PREFIXES
                 172.31.0.0/16 le 24
                end-set
                route-policy CUST-A-IN
                 if destination in CUST-A-PREFIXES then
                  pass
                 else
                  drop
                 endif
                end-policy
                router bgp 65300
                 no neighbor 192.0.2.14
                 neighbor 192.0.2.10
                  description core-01
                no vrf CUST-B""");
    }

    @Test
    void should_create_a_vrf_before_the_interface_that_uses_it_when_both_are_new() {
        String intended = "interface Gi0/0/0/5\n vrf CUST-C\n ipv4 address 10.5.0.1 255.255.255.0\n!\nvrf CUST-C\n rd 65300:300";

        Remediation result = engine.remediate(PLATFORM, "hostname pe1-xr", "hostname pe1-xr\n" + intended);

        assertThat(result.remediation()).isEqualTo("""
                vrf CUST-C
                 rd 65300:300
                interface Gi0/0/0/5
                 vrf CUST-C
                 ipv4 address 10.5.0.1 255.255.255.0""");
    }

    @Test
    void should_resend_a_route_policy_in_full_when_only_the_order_of_its_statements_changes() {
        String running = "route-policy SET-PREF\n  set local-preference 100\n  set med 10\nend-policy";
        String intended = "route-policy SET-PREF\n  set med 10\n  set local-preference 100\nend-policy";

        Remediation result = engine.remediate(PLATFORM, running, intended);

        assertThat(result.remediation()).isEqualTo("""
                route-policy SET-PREF
                 set med 10
                 set local-preference 100
                end-policy""");
    }

    @Test
    void should_keep_repeated_endif_lines_when_a_route_policy_has_several_if_blocks() {
        String policy = """
                route-policy TAG
                  if community matches-any (65300:1) then
                    set local-preference 200
                  endif
                  if community matches-any (65300:2) then
                    set local-preference 50
                  endif
                end-policy
                """;

        Remediation result = engine.remediate(PLATFORM, "hostname pe1-xr", "hostname pe1-xr\n" + policy);

        assertThat(result.remediation()).isEqualTo("""
                route-policy TAG
                 if community matches-any (65300:1) then
                  set local-preference 200
                 endif
                 if community matches-any (65300:2) then
                  set local-preference 50
                 endif
                end-policy""");
    }
}
