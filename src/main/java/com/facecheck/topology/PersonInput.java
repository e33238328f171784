package com.facecheck.topology;

/** What reaches a person's partition: their checked requests, and the name stage's answers to their claims. */
sealed interface PersonInput permits CheckedRequest, NameAnswer {
}
