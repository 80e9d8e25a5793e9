/** Publishing to AWS Route 53 through the AWS SDK v2 async client: record mapping, ownership, pacing, INSYNC. */
package io.meridian.dns.route53;
