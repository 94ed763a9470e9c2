/**
 * Network-config remediation: the commands that take a device from its running config to its intended config
 * ({@link dev.batchgate.facade.remediation.config.RemediationEngine}), computed as hier_config computes them, and the
 * masking of secrets in config text ({@link dev.batchgate.facade.remediation.config.ConfigSecrets}). Plain Java, no Camel.
 *
 * <h2>Platform rules</h2>
 * Each platform is one file, {@code src/main/resources/remediation/platforms/<platform>.json}; the file name is
 * the platform name, and adding a platform is adding a file. Every key is optional:
 * <ul>
 *   <li>{@code sectionTerminators}: lines that only close a section ({@code exit}, {@code end-policy}); not config.</li>
 *   <li>{@code ignoredLines}: regexes matched from the start of a line ({@code Building configuration},
 *       {@code version …}); such lines are not config.</li>
 *   <li>{@code idempotentCommands}: lines the device overwrites in place, so the old value is not negated when a
 *       sibling matching the same rule is set; a {@code regex}'s capturing groups narrow "the same setting"
 *       (e.g. {@code ^neighbor (\S+) description} overwrites only the same neighbour's description).</li>
 *   <li>{@code idempotentCommandsAvoid}: exceptions to the above ({@code ip address … secondary}).</li>
 *   <li>{@code negations}: a line removed other than by {@code no <line>}: {@code use} a fixed command,
 *       {@code useDefault} ({@code default <line>}), or {@code keepWords} ({@code no} + the first n words).</li>
 *   <li>{@code sectionOverwrites}: sections sent again in full when anything in them changes
 *       ({@code negateFirst}: remove the old one first).</li>
 *   <li>{@code duplicateChildrenAllowed}: sections whose repeated lines are kept rather than merged.</li>
 *   <li>{@code sectionExits}: the line printed after such a section's children ({@code end-policy}).</li>
 *   <li>{@code ordering}: a {@code weight} that moves matching lines below (positive) or above (negative)
 *       their siblings in the output.</li>
 * </ul>
 * A rule's {@code lineage} lists one line match per level, from the top-level line down to the line itself;
 * a line match has any of {@code equals}, {@code startsWith} (a string or a list), {@code contains},
 * {@code regex} (found anywhere), all of which must hold. A rule may carry a {@code why}.
 */
package dev.batchgate.facade.remediation.config;
