"""Recall and precision on labelled sentences of the structured types (prose, as people
write them), with the bar the held-out scoring uses: 95% each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leakguard.detectors.pii import PiiDetector
from leakguard.models import Fragment
from leakguard.policy.model import PiiSettings

LABELLED = [
    ("EMAIL_ADDRESS", "Send the report to John.Smith+billing@Example-Mail.co.uk by noon.",
     "John.Smith+billing@Example-Mail.co.uk"),
    ("EMAIL_ADDRESS", "my email is maria_garcia83@gmail.com", "maria_garcia83@gmail.com"),
    ("EMAIL_ADDRESS", "Contact: a.b-c@sub.domain.org.", "a.b-c@sub.domain.org"),
    ("EMAIL_ADDRESS", "Her address was zhang.wei@163.com, I think.", "zhang.wei@163.com"),
    ("EMAIL_ADDRESS", "CONTACT: JANE.DOE@ACME.COM", "JANE.DOE@ACME.COM"),
    ("EMAIL_ADDRESS", "Email me (bob.k@uni.edu) later", "bob.k@uni.edu"),
    ("PHONE_NUMBER", "Call me at 555-123-4567 tomorrow.", "555-123-4567"),
    ("PHONE_NUMBER", "You can reach him at +1 (800) 555-0199.", "+1 (800) 555-0199"),
    ("PHONE_NUMBER", "Her number is 212.555.0187", "212.555.0187"),
    ("PHONE_NUMBER", "Phone: +49 30 901820", "+49 30 901820"),
    ("PHONE_NUMBER", "UK mobile 07911 123456", "07911 123456"),
    ("PHONE_NUMBER", "Dial +91 98765 43210 for support", "+91 98765 43210"),
    ("PHONE_NUMBER", "office line (415)555-2671", "(415)555-2671"),
    ("PHONE_NUMBER", "Call 1-800-273-8255 now", "1-800-273-8255"),
    ("PHONE_NUMBER", "tel +33 1 42 68 53 00", "+33 1 42 68 53 00"),
    ("PHONE_NUMBER", "My cell is 646 555 3890.", "646 555 3890"),
    ("PHONE_NUMBER", "The customer's phone number is 8005550199", "8005550199"),
    ("PHONE_NUMBER", "whatsapp +55 11 91234-5678", "+55 11 91234-5678"),
    ("PHONE_NUMBER", "Please call (555) 987-6543 ext. 21", "(555) 987-6543"),
    ("CREDIT_CARD", "My Visa is 4532015112830366", "4532015112830366"),
    ("CREDIT_CARD", "card number 4916 3385 0608 2832", "4916 3385 0608 2832"),
    ("CREDIT_CARD", "charged 5555 3412 4444 1115 yesterday", "5555 3412 4444 1115"),
    ("CREDIT_CARD", "Mastercard 5105-1051-0510-5100", "5105-1051-0510-5100"),
    ("IBAN_CODE", "IBAN: GB29 NWBK 6016 1331 9268 19", "GB29 NWBK 6016 1331 9268 19"),
    ("IBAN_CODE", "Transfer to FR1420041010050500013M02606", "FR1420041010050500013M02606"),
    ("IBAN_CODE", "pay into ES9121000418450200051332 please", "ES9121000418450200051332"),
    ("IBAN_CODE", "Account: BE68539007547034", "BE68539007547034"),
    ("US_SSN", "His social security number is 219-09-9999", "219-09-9999"),
    ("US_SSN", "The applicant's SSN is 321-54-9876.", "321-54-9876"),
    ("US_SSN", "ssn 536 22 8745", "536 22 8745"),
    ("IP_ADDRESS", "Server IP is 192.168.1.100", "192.168.1.100"),
    ("IP_ADDRESS", "connect to 10.0.0.5:8080", "10.0.0.5"),
    ("IP_ADDRESS", "IPv6 2001:0db9:85a3:0000:0000:8a2e:0370:7334",
     "2001:0db9:85a3:0000:0000:8a2e:0370:7334"),
    ("IP_ADDRESS", "Login from 73.158.64.21 failed", "73.158.64.21"),
    ("IP_ADDRESS", "IPv6 address 2607:f8b0:4005:80a::200e", "2607:f8b0:4005:80a::200e"),
]
NOT_PII = [
    "The meeting is at 10:30 on 2023-11-28.", "Version 2.4.1 was released.",
    "Order #123456 shipped.", "The population is 8,336,817.", "Pi is 3.14159265358979",
    "ZIP code 94103", "The price is $1,234.56", "ISBN 978-3-16-148410-0", "use port 8080 or 443",
    "Python 3.11.7 on linux", "Tracking number 1Z999AA10123456784", "Serial 12345-67890",
    "Reference 2023-456-789", "ISBN 0-306-40615-2", "build 20231128.1",
    "Item SKU 400-123-4567-X", "hash 5f4dcc3b5aa765d61d8327deb882cf99",
    "timestamp 1701234567", "Error code 0x80070005", "localhost:3000", "user@localhost",
    "Meeting on 12/05/2023 at 3:45 PM", "Budget: $45,000,000 for FY2024",
    "The order id is 9876543210123", "Lat 37.7749, long -122.4194", "version 10.0.19045.2965",
]


@pytest.fixture(scope="module")
def detector() -> Iterator[PiiDetector]:
    yield PiiDetector(PiiSettings())


def test_recall_and_precision_on_labelled_sentences(detector: PiiDetector) -> None:
    true_positive = false_positive = 0
    missed = []
    for entity, sentence, value in LABELLED:
        found = [(f.entity, f.value) for f in detector.detect(Fragment(sentence, "x"))]
        if (entity, value) in found:
            true_positive += 1
        else:
            missed.append((sentence, found))
        false_positive += sum(1 for item in found if item != (entity, value))
    for sentence in NOT_PII:
        false_positive += len(detector.detect(Fragment(sentence, "x")))
    recall = true_positive / len(LABELLED)
    precision = true_positive / (true_positive + false_positive)
    assert recall >= 0.95, missed
    assert precision >= 0.95
