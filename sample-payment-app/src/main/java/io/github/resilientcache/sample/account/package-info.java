/**
 * Accounts: the system of record, the cached service in front of it and its REST API.
 */
@NullMarked
package io.github.resilientcache.sample.account;

import org.jspecify.annotations.NullMarked;
