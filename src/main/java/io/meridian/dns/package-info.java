/** Publishing answers: the {@link io.meridian.dns.DnsProvider} contract and its implementations (sub-packages). */
package io.meridian.dns;
