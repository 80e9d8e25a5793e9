/** Publishing through any DNS server that takes RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS). */
package io.meridian.dns.rfc2136;
