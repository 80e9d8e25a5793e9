/** The embedded authoritative DNS server (Netty's DNS codec over UDP and TCP). */
package io.meridian.dns.embedded;
