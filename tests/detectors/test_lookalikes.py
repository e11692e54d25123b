"""The full detector against look-alikes (must stay silent) and generic secrets (must fire).

Two kinds of tables: hand-written cases, each asserted on its own; and a generated
matrix (file syntaxes x key names x values from a seeded generator) whose
flagged-look-alike rate and recall are measured against the targets (<= 5 % and
>= 95 %). Fake secrets are built here at test time, never stored whole.
"""

from __future__ import annotations

import base64
import random
import string
from functools import cache

import pytest

from leakguard.detectors.secrets import SecretDetector
from leakguard.engine import build_engine
from leakguard.rulepack import builtin_rules


@cache
def detector() -> SecretDetector:
    rules = builtin_rules()
    return SecretDetector(rules, build_engine(rules, "auto"))


def spans(text: str) -> list[tuple[str, int, int]]:
    rules = detector().rules
    return [(rules[c[0]].id, c[1], c[2]) for c in detector().candidates(text)]


def flagged(text: str) -> list[str]:
    return [rule_id for rule_id, _, _ in spans(text)]


def caught(text: str, secret: str) -> bool:
    """A finding covers (part of) the secret's span."""
    start = text.index(secret)
    end = start + len(secret)
    return any(s < end and e > start for _, s, e in spans(text))


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


PW = "Qz8#" + "vLm2!pK"
PW2 = "Tr0ub" + "4dor&3"
TOKEN = "a8Fk29dL" + "q0PzR7xWm3"
HEX = "3f2a9c4e1b7d" + "8a6f5e4c3b2a1d0e"

# --- hand-written look-alikes: none may be flagged by any rule --------------------
LOOKALIKES = [
    # placeholders and templates
    'password = "changeme"',
    'DB_PASSWORD="********"',
    'api_key = "<your-api-key>"',
    'API_KEY=your_api_key_here',
    'token: "{{ .Values.token }}"',
    'password: "${DB_PASSWORD}"',
    "password = '%(db_password)s' % cfg",
    'secret = "%s" % value',
    'api_key = "{}".format(key)',
    'AUTH_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxx',
    'client_secret = "REPLACE_ME"',
    '"password": "[REDACTED]"',
    'password = "dummy-password"',
    'secret_key = "sample"',
    'password: "test"',
    'password = "foo"',
    'token = "bar"',
    '"password": null,',
    'password: none',
    'auth: true',
    'token = "undefined"',
    # environment lookups and code expressions
    'password = os.environ["DB_PASSWORD"]',
    'password = os.getenv("DB_PASSWORD")',
    'const apiKey = process.env.API_KEY;',
    'password := os.Getenv("DB_PASSWORD")',
    'String password = System.getenv("DB_PASSWORD");',
    'var apiKey = Environment.GetEnvironmentVariable("API_KEY");',
    'token = ENV["API_TOKEN"]',
    "$password = getenv('DB_PASSWORD');",
    'self.password = password',
    'password = config.get("db", "password")',
    'secret = settings.SECRET_KEY',
    'token = request.headers.get("Authorization")',
    'password = user_password',
    'password = PASSWORD_FIELD',
    'token = generate_token(user)',
    'password = request.form["password"]',
    'export DB_PASSWORD=$(cat /run/secrets/db)',
    'password = data.vault_generic_secret.db.data["password"]',
    'password = var.db_password',
    '  token: ${{ secrets.GITHUB_TOKEN }}',
    # key names that describe a secret rather than hold one
    'password_field = "user_password"',
    'PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]',
    'token_url = "https://auth.corp.io/oauth2/token"',
    'token_type = "Bearer"',
    'secret_name = "prod/db/credentials"',
    'api_key_header = "X-API-Key"',
    'auth_method = "oauth2"',
    'TOKEN_ENV = "GITHUB_TOKEN"',
    'key_file = "certs/key.pem"',
    'private_key_path = "~/.ssh/id_ed25519"',
    'MIN_PASSWORD_LENGTH = 12',
    'PASSWORD_REGEX = r"^(?=.*[A-Z])(?=.*\\d).{8,}$"',
    'password_prompt = "Enter your password: "',
    'passwordLabel: "Passwort"',
    'password_placeholder: "••••••••"',
    'token_expiry_seconds = 3600',
    'credential_id = "550e8400-e29b-41d4-a716-446655440000"',
    '"private_key_id": "' + "4c0d" * 10 + '",',
    'SECRET_KEY_FALLBACKS = []',
    # hashes, ids, versions, dates
    'password_hash = "5f4dcc3b5aa765d61d8327deb882cf99"',
    '"token_sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"',
    'commit = "9fceb02d0ae598e95dc970b74767f19372d61af8"',
    'session_id = "7d9f2c1e-3b4a-4e5f-8a6b-1c2d3e4f5a6b"',
    'request_uuid: 123e4567-e89b-12d3-a456-426614174000',
    'api_version = "2024-02-01"',
    'version = "1.2.3"',
    '"jsonwebtoken": "^9.0.2",',
    '"@auth0/auth0-react": "~2.2.4",',
    'tokenizer = "bert-base-uncased"',
    'max_tokens = 4096',
    'created_at = "2024-03-01T12:00:00Z"',
    'password: "$2b$12$KIXQ4z0w3k1hJd8sPqLrUeYb6vT9mN2cX5aF7gH1jK3lM4nO5pQ6r"',
    'admin:$apr1$9x8y7z6w$Qm3Zr8Lk2Pn5Vb7Xc1Td9/',
    # lock files and package sums
    '"integrity": "sha512-Gs7fO2tR8vQ1pL4kM6nB9xZ3cW5eY7uI0oA2sD4fG6hJ8kL0zX2cV4bN6mQ8'
    'wE0rT2yU4iO6pA8sD0fG2hJ4kA=="',
    'integrity sha512-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9fG1hJ3kL5mN7pQ9rS1tU3vW5xY7z'
    'A9bC1dE3fG5hJ7kL9mA==',
    'golang.org/x/oauth2 v0.15.0 h1:s8pnnxNVzjWyrvYdFUQq5llS1PX2zhPXmccZv99h7uQ=',
    'golang.org/x/oauth2 v0.15.0/go.mod h1:q48ptWNTY5XWf+JNoEYL9OJzsk9WtcK8kB2vuZE7QFE=',
    'checksum = "a0d2e9c5f4b3e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6"',
    'resolved "https://registry.yarnpkg.com/js-tokens/-/js-tokens-4.0.0.tgz#19203fb59991df98e3a287050d4647cdeaf32499"',
    # base64 of ordinary text
    'secret = "' + b64("This is not a secret, just a sentence.") + '"',
    'token: ' + b64("hello world from the docs"),
    'Authorization: Basic ' + b64("user:password"),
    'Authorization: Basic ' + b64("admin:admin"),
    # i18n, prose, form fields, UI
    '"password": "Enter your password"',
    'password: "Mot de passe"',
    '"token": "Token"',
    '"auth": "Authentication"',
    'msgid "Password"',
    '<input type="password" name="password" placeholder="Password" '
    'autocomplete="current-password">',
    '<label for="password">Password</label>',
    'password = forms.CharField(widget=forms.PasswordInput)',
    'The password must be at least 8 characters long.',
    'Reset your password: https://app.corp.io/reset-password',
    'Bearer authentication is described in RFC 6750.',
    '  --password TEXT       Password for the database user',
    'usage: tool [--token TOKEN] [--api-key API_KEY]',
    # password-policy code and queries
    'if len(password) < 8:',
    'if (password.length >= 8 && /[A-Z]/.test(password)) {',
    'SELECT id FROM users WHERE token = ?',
    'UPDATE sessions SET token = :token WHERE id = :id',
    'cursor.execute("SELECT * FROM users WHERE password = %s", (pw,))',
    'WHERE api_key = @apiKey',
    'assert user.check_password(password)',
    # minified JS and CSS
    'var a={password:e.password,token:t.token,auth:n};function r(e){return e.token}',
    'n.auth={username:"",password:""},t.headers.Authorization="Bearer "+n.token',
    '{type:"password",autoComplete:"current-password",name:"password"}',
    '.password-field:focus{border-color:#3b82f6}.token-input{width:100%}',
    ':root{--secret-color:#ff00ff;--token-bg:rgba(0,0,0,.5)}',
    # docs with test keys
    'curl -u "$USER:$PASSWORD" https://api.corp.io',
    'curl -u user:password https://httpbin.org/basic-auth/user/password',
    'curl -H "Authorization: Bearer $TOKEN" https://api.corp.io',
    'curl -H "Authorization: Bearer <token>" https://api.corp.io',
    'machine api.corp.io login ci password changeme',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY',
    # k8s / docker references
    '- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password',
    '    client-key-data: REDACTED',
    'GOOGLE_APPLICATION_CREDENTIALS=/etc/gcp/credentials.json',
    'PWD=/home/dev/project',
    # framework code and config around secrets
    "'password' => 'required|string|min:8|confirmed',",
    'password: Joi.string().min(8).required(),',
    'const [password, setPassword] = useState("");',
    'apiKey: import.meta.env.VITE_API_KEY,',
    "secret: process.env.JWT_SECRET || 'dev',",
    'DB_PASSWORD=${DB_PASSWORD:?required}',
    'kubectl create secret generic db --from-literal=password=$DB_PASS',
    'token_endpoint_auth_method: client_secret_basic',
    'special_tokens = {"pad_token": "[PAD]", "eos_token": "</s>"}',
    '"bos_token": "<|endoftext|>",',
    'password: !Sub "{{resolve:secretsmanager:MySecret:SecretString:password}}"',
    'db_password: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]',
    '"SecretId": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"',
    'token = secrets.token_urlsafe(32)',
    'TOKEN=`cat ~/.token`',
    'mock_token = "mock-token"',
    'fake_api_key = "fake-key-123"',
    'POSTGRES_PASSWORD=mysecretpassword',
    'MYSQL_ROOT_PASSWORD=example',
    'JWT_SECRET=your_jwt_secret',
    'SESSION_SECRET=dev-session-secret',
    '"api_key": "1234567890abcdef"',
    '"license_key": "XXXX-XXXX-XXXX-XXXX"',
    'api_key_prefix = "sk_live_"',
    'password: ' + b64("password"),
    '("HTTPPasswordMgr", "urllib2")',
    'xhr.setRequestHeader("Authorization", "Bearer " + token);',
    'requests.get(url, auth=(user, password))',
    'mysql -u root -p appdb',
    'credentials {\n    password System.getenv("REPO_PASSWORD")\n}',
    'PRIMARY_KEY=user_account_identifier',
    # operational tokens and doc placeholders (shapes seen in cloud CLI docs)
    'aws dynamodb list-tables --starting-token abCDeFGhiJKlmnOPqrSTuvwxYZ1aBCdEFghijK7LM51nOp',
    '"NextToken": "eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ=="',
    '"ClientRequestToken": "a8ca07e4-61ec-4399-99f4-19853801bcd5"',
    '--lock-token 46851772-db6f-459d-9385-49428812e357',
    '"PurchaseToken": "eyJ2IjoiMSIsInMiOjEsImMiOi..."',
    '"ExportToken": "export-token-cu4lg26ofcziixny"',
    '--hsm-partition-password A1b2c3d4',
    '"Password": "SomeKindOfPassword123!@#"',
    '"LocalConsolePassword": "PassWordMustBeAtLeast6Chars."',
    '"Password": "generatedwebdavpassword1"',
    '"passphrase": "AB1C2defGHijkLMNo3PqQRstUvwxyzaBCDEfghh4ijklMN5opqrStuVWxyzAbCDEfghIJ"',
    '--auth Description=',
    '--client-token 550e8400-e29b-41d4-a716-446655440000',
    # Python type annotations: a module whose name ends in a number, then a type.
    '    auth: httpx2.Auth',
    '    private_key: x25519.X25519PrivateKey',
    '    credentials: oauth2.Credentials = None',
    # Quotes that do not pair: an HTML attribute's end inside a Python string.
    """url = '?tokena=A&amp;tokenb=B">package_name-0.1.2.tar.gz'""",
    # CLI flags naming paging, idempotency and work tokens (AWS CLI examples).
    '    --next-page-token "AAAAKgAAAAEAAAAAAAAAA1Gp1BelJq+PmHvAnDxJYbup8+0R4LVtbXXX"',
    '    --client-request-token "02ccb92b-33e8-4dfa-a0c1-35b181ed26b0"',
    "    --work-unit-token 'B2fMSdmQXe9umX8Ux8XCo4=' outfile",
    # Perl and PHP variables' members and elements, not literals.
    '        $PROXY_PASSWORD = $CPAN::Config->{proxy_pass} || "";',
    '    my $pass = $assert->{pass};',
    '    $pw_passwd  = $pwob->passwd ( $_[1] )   if pw_has("passwd");',
    "    $password = $_ENV['DB_PASSWORD'];",
    # An algorithm, a regex literal, the anonymous-FTP convention.
    '#password_encryption = scram-sha-256\t# scram-sha-256 or md5',
    "const UNEXPECTED_TOKEN = /^Unexpected token '?(.)'?(,)? /i",
    "      $pass = '-anonymous@'",
    # Localized messages naming a CLI flag, their letters as \\u escapes (JDK keytool).
    '{ ".keypasswd.not.supported", "comandos -keypasswd n\\u00E3o suportados" },',
    '{ ".keypasswd.not.supported", "\\u5982\\u679C -keypasswd \\u547D\\u4EE4" },',
]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_lookalike_not_flagged(text: str) -> None:
    assert flagged(text) == []


# --- hand-written generic secrets: each must be flagged ----------------------------
SECRETS = [
    (f'password = "{PW2}"', PW2),
    (f"DB_PASSWORD: str = '{PW}'", PW),
    (f'const apiKey = "{TOKEN}";', TOKEN),
    (f'  apiKey: `{TOKEN}`,', TOKEN),
    (f'dbPassword := "{PW}"', PW),
    (f'private static final String API_SECRET = "{TOKEN}";', TOKEN),
    (f'public const string ApiKey = "{TOKEN}";', TOKEN),
    (f'val clientSecret = "{HEX}"', HEX),
    (f"config.password = '{PW}'", PW),
    (f':password => "{PW}"', PW),
    (f"$db_pass = '{PW}';", PW),
    (f"'auth_token' => '{TOKEN}',", TOKEN),
    (f'export API_TOKEN="{TOKEN}"', TOKEN),
    (f"export PGPASSWORD={PW2}", PW2),
    (f"password: {PW}", PW),
    (f'  "client_secret": "{TOKEN}",', TOKEN),
    (f"SECRET_KEY={TOKEN}", TOKEN),
    (f"[database]\npassword = {PW}\n", PW),
    (f'api_key = "{TOKEN}"  # config.toml', TOKEN),
    (f"spring.datasource.password={PW}", PW),
    (f'<connection password="{PW}" />', PW),
    (f"<password>{PW}</password>", PW),
    (f'<add key="StripeSecret" value="{TOKEN}" />', TOKEN),
    (f'db_password = "{PW2}"', PW2),
    (f"users:\n- name: ci\n  user:\n    token: {TOKEN}\n", TOKEN),
    (f"users:\n- name: ci\n  user:\n    password: {PW}\n", PW),
    (f"//npm.corp.io/:_authToken={TOKEN}", TOKEN),
    (f"_auth={b64('ci:' + PW)}", b64("ci:" + PW)),
    (f"[pypi]\nusername = ci\npassword = {PW}\n", PW),
    (f"machine git.corp.io login ci password {PW}", PW),
    (f'{{"auths": {{"registry.corp.io": {{"auth": "{b64("ci:" + PW)}"}}}}}}', b64("ci:" + PW)),
    (f"Authorization: Bearer {TOKEN}", TOKEN),
    (f'headers = {{"Authorization": "Basic {b64("ci:" + PW)}"}}', b64("ci:" + PW)),
    (f"X-API-Key: {TOKEN}", TOKEN),
    (f'curl -u deploy:{PW} https://ci.corp.io', PW),
    (f"curl -H 'Authorization: Bearer {TOKEN}' https://api.corp.io", TOKEN),
    (f"Server=db;Database=app;User Id=sa;Password={PW};", PW),
    (f'define("AUTH_KEY", "{TOKEN}");', TOKEN),
    (f'os.getenv("API_KEY", "{TOKEN}")', TOKEN),
    (f'ds.setPassword("{PW}");', PW),
    (f"- name: DB_PASSWORD\n  value: {PW}\n", PW),
    (f"CREATE USER app IDENTIFIED BY '{PW}';", PW),
    (f"./run --api-token {TOKEN}", TOKEN),
    ('password = "hunter2!x"', "hunter2!x"),
    (f'const API_KEY: &str = "{TOKEN}";', TOKEN),
    (f'password <- "{PW}"', PW),
    (f"DEPLOY_TOKEN := {TOKEN}", TOKEN),
    (f'credentials {{\n    username "ci"\n    password "{PW}"\n}}', PW),
    (f'"source": ["api_key = \\"{TOKEN}\\"\\n"]', TOKEN),
    (f"password: {b64(PW)}", b64(PW)),
    (f'requests.get(url, auth=("bot", "{PW}"))', PW),
    (f"mysql -h db -u root -p{PW} app", PW),
    (f"MAPBOX_KEY={TOKEN}", TOKEN),
    (f'variable "db_password" {{\n  default = "{PW}"\n}}', PW),
    (f'$pw = ConvertTo-SecureString "{PW}" -AsPlainText -Force', PW),
    (f"WEBHOOK_SECRET={TOKEN}", TOKEN),
    (f'aes_key = "{HEX}{HEX}"', HEX + HEX),
    (f'pw = "{PW}"', PW),
    ('password = "correct-horse-battery-staple-9"', "correct-horse-battery-staple-9"),
    ('DB_PASSWORD="DogFoodBlueSky42"', "DogFoodBlueSky42"),
    # A quoted flag value is caught whole, shell metacharacters and all.
    (f'aws iam create-login-profile --password "{PW2}"', PW2),
    (f"deploy --api-token '{PW2}'", PW2),
    (f'api_key = \\"{TOKEN}\\"', TOKEN),  # escaped quotes still pair
    # Random letters and digits that split into camelCase-like pieces are not names.
    ('DB_PASSWORD="' + "GxguciIc" + 'CQi5"', "GxguciIc" + "CQi5"),
    ("client_secret: " + "melXSRKP" + "yHKUbo", "melXSRKP" + "yHKUbo"),
    ('api_key = "' + "boq7E5XM" + 'Ib"', "boq7E5XM" + "Ib"),
]


@pytest.mark.parametrize(("text", "secret"), SECRETS, ids=lambda v: v[:40] if len(v) > 12 else "")
def test_generic_secret_flagged(text: str, secret: str) -> None:
    assert caught(text, secret), spans(text)


# --- generated matrix: measure rates on values the rules were not tuned to ---------
QUOTED = [
    '{k} = "{v}"', "{k} = '{v}'", 'const {k} = "{v}";', '  {k}: "{v}",', '{k} := "{v}"',
    'private static final String {k} = "{v}";', 'public string {k} = "{v}";',
    "${k} = '{v}';", "'{k}' => '{v}',", 'export {k}="{v}"', '"{k}": "{v}"', '{k}: "{v}"',
    '<item {k}="{v}" />', '{k} = "{v}"  # tfvars',
]
UNQUOTED = ["{k}={v}", "export {k}={v}", "{k}: {v}", "{k} = {v}", "app.{k}={v}", "  {k}: {v}  "]
PASSWORD_KEYS = ["password", "DB_PASSWORD", "dbPassword", "passwd", "pwd", "smtp_pass",
                 "admin_password", "MYSQL_ROOT_PASSWORD", "db.password", "user_pass"]
TOKEN_KEYS = ["api_key", "apiKey", "API_KEY", "secret", "client_secret", "auth_token",
              "access_token", "SECRET_KEY", "x-api-key", "credentials", "app_secret",
              "signing_key"]
WORDS = ["maple", "harbor", "falcon", "violet", "copper", "orchid", "thunder", "pebble",
         "garnet", "willow", "cobalt", "lantern", "meadow", "quartz", "saffron", "tundra"]
SYMBOLS = "!@#$%^*-_+=.~"


def _random_password(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:  # random characters, mixed classes
        alphabet = string.ascii_letters + string.digits + SYMBOLS
        while True:
            value = "".join(rng.choice(alphabet) for _ in range(rng.randint(10, 18)))
            if sum(map(bool, (set(value) & set(string.digits), set(value) & set(SYMBOLS)))) == 2:
                return value
    if kind == 1:  # two words, digits and a symbol
        first, second = rng.sample(WORDS, 2)
        return first.capitalize() + second + rng.choice(SYMBOLS) + str(rng.randint(10, 99))
    word = rng.choice(WORDS)  # leet-spelt word with a suffix
    leet = word.translate(str.maketrans("aeio", "4310"))
    return leet.capitalize() + rng.choice(SYMBOLS) + str(rng.randint(1, 999))


def _random_token(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return "".join(rng.choice(string.ascii_letters + string.digits)
                       for _ in range(rng.randint(20, 40)))
    if kind == 1:
        return "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice((32, 40, 64))))
    if kind == 2:
        raw = bytes(rng.randrange(256) for _ in range(rng.choice((24, 32, 48))))
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return "".join(rng.choice(string.ascii_lowercase + string.digits)
                   for _ in range(rng.randint(24, 36)))


def generated_secrets() -> list[tuple[str, str]]:
    rng = random.Random(20241128)
    cases: list[tuple[str, str | None]] = []
    for keys, make in ((PASSWORD_KEYS, _random_password), (TOKEN_KEYS, _random_token)):
        for template in QUOTED + UNQUOTED:
            for _ in range(3):
                key = rng.choice(keys)
                value = make(rng)
                cases.append((template.format(k=key, v=value), value))
    for _ in range(15):
        value = _random_token(rng)
        password = _random_password(rng)
        pw_key, token_key = rng.choice(PASSWORD_KEYS), rng.choice(TOKEN_KEYS)
        cases += [
            (f"Authorization: Bearer {value}", value),
            (f"Authorization: Basic {b64('svc:' + password)}", b64("svc:" + password)),
            (f"curl -u svc:{password} https://h.corp.io", password),
            (f"<{token_key}>{value}</{token_key}>", value),
            (f'<add key="{token_key}" value="{value}" />', value),
            (f"- name: {pw_key.upper()}\n  value: {password}\n", password),
            (f"machine h.corp.io login svc password {password}", password),
            (f"tool --{rng.choice(['password', 'token', 'api-key'])} {password} run", password),
            (f'{token_key} = "{uuid_like(rng)}"', None),
        ]
    return [(text, secret if secret else text.split('"')[1]) for text, secret in cases]


LOOKALIKE_VALUES_QUOTED = [
    "changeme", "password", "secret", "********", "xxxxxxxxxxxx", "<password>", "${SECRET}",
    "{{ secret }}", "%(password)s", "%s", "{}", "your-api-key", "YOUR_TOKEN_HERE", "TODO",
    "test", "testing123", "dummy", "example", "sample-key", "null", "none", "undefined",
    "true", "12345678", "abcdefgh", "qwerty123", "P@ssw0rd", "Password1!", "admin123",
    "user_password", "PASSWORD_FIELD", "userPassword", "api_key_value", "my-secret-name",
    "/etc/app/secret.key", "key.pem", "https://vault.corp.io/v1/secret", "1.2.3",
    "2024-01-31", "Enter password", "s3cr3t", "supersecret", "mysecretkey", "letmein",
    "hunter", "Passwort", "Contrasena", b64("just some plain english text here"),
    "$2y$10$" + "abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
]
NAME_WORDS = ["user", "account", "config", "value", "default", "current", "new", "admin",
              "service", "client", "server", "field", "input", "form", "db", "main", "backup",
              "local", "remote", "app", "request", "session", "cache", "login", "reset"]
THINGS = ["api-key", "token", "secret", "password", "key", "client-secret", "access-token"]


def _rand_identifier(rng: random.Random) -> str:
    words = rng.sample(NAME_WORDS, rng.randint(2, 3))
    style = rng.randrange(5)
    if style == 0:
        return "_".join(words)
    if style == 1:
        return "_".join(words).upper()
    if style == 2:
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == 3:
        return rng.choice(["self", "this", "config", "settings", "opts"]) + "." + "_".join(words)
    return "-".join(words)


def _rand_placeholder(rng: random.Random) -> str:
    thing = rng.choice(THINGS)
    upper = thing.upper().replace("-", "_")
    return rng.choice([
        f"your_{thing}_here", f"<{thing}>", f"{upper}_PLACEHOLDER", "x" * rng.randint(8, 40),
        "*" * rng.randint(6, 20), f"REPLACE_WITH_{upper}", f"insert-{thing}-here",
        f"example-{thing}", f"dummy_{thing}", f"test-{thing}-{rng.randint(1, 99)}",
        f"sample_{thing}", f"my{thing.replace('-', '')}", f"${{{upper}}}", f"{{{{ {thing} }}}}",
        f"%({thing.replace('-', '_')})s", f"<%= {thing.replace('-', '_')} %>", f"#{{{upper}}}",
        f"__{upper}__", f"%{upper}%", f"@{upper}@", f"[{upper}]", "changeme", "REDACTED",
    ])


def _rand_code(rng: random.Random, key: str) -> str:
    var = _rand_identifier(rng).upper().replace("-", "_").replace(".", "_")
    return rng.choice([
        f'os.environ["{var}"]', f"os.getenv('{var}')", f"process.env.{var}",
        f'System.getenv("{var}")', f'ENV["{var}"]', f'config.get("{key}")', f"settings.{var}",
        f"self.{key}", f"this.{key}", f"get_{key}()", _rand_identifier(rng), f"${var}",
        f"${{{var}}}", f"$({var.lower()})", f"vars.{var}",
    ])


def _rand_data(rng: random.Random) -> str:
    return rng.choice([
        f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}",
        f"v{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}-beta.{rng.randint(1, 9)}",
        f"^{rng.randint(1, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        f"20{rng.randint(10, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        str(rng.randint(10**5, 10**12)), f"{rng.random():.6f}",
        f"https://{rng.choice(NAME_WORDS)}.corp.io/{rng.choice(NAME_WORDS)}/token",
        "/" + "/".join(rng.sample(NAME_WORDS, 3)) + rng.choice(["", ".pem", ".json", ".key"]),
        f"{rng.choice(NAME_WORDS)}.{rng.choice(['pem', 'key', 'p12', 'json', 'env'])}",
        b64(" ".join(rng.sample(WORDS + NAME_WORDS, rng.randint(4, 8)))),
        "".join(string.ascii_lowercase[i] for i in range(rng.randint(0, 10), 18)),
        "".join(str(i % 10) for i in range(rng.randint(0, 3), rng.randint(8, 14))),
        rng.choice(string.ascii_letters) * rng.randint(8, 20),
    ])


META_KEYS = ["password_hash", "token_url", "secret_name", "password_field", "api_key_header",
             "auth_method", "token_type", "password_length", "secret_arn", "token_file",
             "password_regex", "api_key_env", "credential_id", "token_sha256", "key_file",
             "password_prompt", "secret_version", "token_expiry", "passwordLabel"]


def _meta_value(rng: random.Random) -> str:
    return rng.choice([
        "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice((32, 40, 64)))),
        f"{uuid_like(rng)}", _rand_identifier(rng), _rand_data(rng), "X-Api-Key", "Bearer",
        "oauth2", "^[A-Za-z0-9]{12,}$", "Passwort", str(rng.randint(1, 100)),
    ])


def uuid_like(rng: random.Random) -> str:
    hexes = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return "-".join((hexes[:8], hexes[8:12], hexes[12:16], hexes[16:20], hexes[20:]))


def generated_lookalikes() -> list[str]:
    rng = random.Random(1128)
    keys = PASSWORD_KEYS + TOKEN_KEYS
    cases: list[str] = []
    for _ in range(150):
        cases.append(rng.choice(QUOTED + UNQUOTED).format(k=rng.choice(keys),
                                                          v=_rand_placeholder(rng)))
        key = rng.choice(keys)
        cases.append(rng.choice(UNQUOTED).format(k=key, v=_rand_code(rng, key)))
        cases.append(rng.choice(QUOTED + UNQUOTED).format(k=rng.choice(keys),
                                                          v=_rand_data(rng)))
        cases.append(rng.choice(QUOTED + UNQUOTED).format(k=rng.choice(META_KEYS),
                                                          v=_meta_value(rng)))
    for value in LOOKALIKE_VALUES_QUOTED:
        cases.append(rng.choice(QUOTED).format(k=rng.choice(keys), v=value))
    return cases


def test_generated_recall() -> None:
    cases = generated_secrets()
    missed = [text for text, secret in cases if not caught(text, secret)]
    recall = 1 - len(missed) / len(cases)
    print(f"\ngeneric recall: {recall:.1%} of {len(cases)}; missed: {missed[:10]}")
    assert recall >= 0.95, missed


def test_generated_lookalike_rate() -> None:
    cases = generated_lookalikes()
    hits = [text for text in cases if flagged(text)]
    rate = len(hits) / len(cases)
    print(f"\nflagged look-alikes: {rate:.1%} of {len(cases)}; flagged: {hits[:10]}")
    assert rate <= 0.05, hits
