"""The real MediaWiki clients against a running Plutarch (issue 19).

Run by tests/it/mw_clients.rs: python mw_clients.py HOST:PORT USER TOKEN
USER is an editor; TOKEN one of their API tokens, used as a bot password (USER@bot).
Prints one line per check and exits non-zero on the first failure.
"""

import os
import sys
import tempfile
import time


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (f": {detail}" if detail and not ok else ""))
    if not ok:
        sys.exit(1)


def mwclient_checks(host, user, token):
    import mwclient
    import mwclient.errors

    def site():
        s = mwclient.Site(host, path="/w/", scheme="http", force_login=False)
        s.login(f"{user}@bot", token)
        return s

    s = site()
    check("mwclient: site init reads the generator", s.version[:2] == (1, 39), str(s.version))
    check("mwclient: login with a bot password", s.logged_in and s.username == user, s.username)
    page = s.pages["Client Test"]
    check("mwclient: a missing page", not page.exists)
    text = "Lead.\n\n== Early life ==\nBorn.\n\n== Work ==\nEngines.\n"
    result = page.edit(text, summary="created by mwclient")
    check("mwclient: create", result.get("result") == "Success" and "new" in result, str(result))
    page = s.pages["Client Test"]
    check("mwclient: page.text()", page.text() == text, repr(page.text()))
    check("mwclient: page.text(section=1)", page.text(section=1) == "== Early life ==\nBorn.",
          repr(page.text(section=1)))

    # Two clients read the same revision and change the same section: the second conflicts,
    # then reads again and succeeds.
    s2 = site()
    first, second = s.pages["Client Test"], s2.pages["Client Test"]
    first.text()
    second.text()
    # basetimestamp has second precision and names the earliest revision of its second, so
    # edits a client bases on each other must be a second apart (as people's edits are).
    time.sleep(1.1)
    first.edit(text.replace("Born.", "Born in London."), summary="first")
    time.sleep(1.1)
    try:
        second.edit(text.replace("Born.", "Born in 1815."), summary="second")
        check("mwclient: an edit conflict between two clients", False, "no conflict")
    except mwclient.errors.EditError:
        check("mwclient: an edit conflict between two clients", True)
    second = s2.pages["Client Test"]
    current = second.text()
    second.edit(current.replace("Born in London.", "Born in London in 1815."), summary="retry")
    check("mwclient: the retry after reading again",
          s.pages["Client Test"].text(cache=False).count("Born in London in 1815.") == 1)
    # A stale edit of another section merges.
    time.sleep(1.1)
    third = s2.pages["Client Test"]
    third.text()
    s.pages["Client Test"].edit(s.pages["Client Test"].text().replace("Engines.", "Engines!"),
                                 summary="other")
    time.sleep(1.1)
    merged = third.edit(third.text(cache=True).replace("Lead.", "Lead, merged."), summary="merge")
    check("mwclient: a stale edit of another section merges", merged.get("result") == "Success")
    s.pages["Client Test"].append("\nAppended.", summary="append")
    final = s.pages["Client Test"].text(cache=False)
    check("mwclient: append", final.rstrip().endswith("Appended.") and "Engines!" in final
          and "Lead, merged." in final, repr(final))


def pywikibot_checks(host, user, token):
    home = tempfile.mkdtemp(prefix="pwb-")
    with open(os.path.join(home, "plutarch_family.py"), "w") as f:
        f.write(
            "from pywikibot import family\n"
            "class Family(family.Family):\n"
            "    name = 'plutarch'\n"
            f"    langs = {{'en': '{host}'}}\n"
            "    def scriptpath(self, code):\n"
            "        return '/w'\n"
            "    def protocol(self, code):\n"
            "        return 'http'\n"
        )
    passwords = os.path.join(home, "passwords")
    with open(passwords, "w") as f:
        f.write(f"('{user}', BotPassword('bot', '{token}'))\n")
    os.chmod(passwords, 0o600)
    with open(os.path.join(home, "user-config.py"), "w") as f:
        f.write(
            "family = 'plutarch'\n"
            "mylang = 'en'\n"
            f"family_files['plutarch'] = {os.path.join(home, 'plutarch_family.py')!r}\n"
            f"usernames['plutarch']['en'] = {user!r}\n"
            f"password_file = {passwords!r}\n"
            "put_throttle = 0\n"
            "maxlag = 0\n"
            "max_retries = 1\n"
        )
    os.environ["PYWIKIBOT_DIR"] = home
    os.environ["PYWIKIBOT_NO_USER_CONFIG"] = "0"
    import pywikibot

    site = pywikibot.Site("en", "plutarch")
    site.login()
    check("pywikibot: login with a bot password", site.logged_in(), str(site.user()))
    page = pywikibot.Page(site, "Client Test")
    check("pywikibot: Page.text", "Appended." in page.text, repr(page.text))
    page.text = page.text + "\nBy pywikibot."
    page.save(summary="pywikibot edit")
    again = pywikibot.Page(site, "Client Test")
    check("pywikibot: Page.save", again.text.rstrip().endswith("By pywikibot."), repr(again.text))
    new = pywikibot.Page(site, "Made By Pywikibot")
    new.text = "Created."
    new.save(summary="create")
    titles = [p.title() for p in site.allpages(total=50)]
    check("pywikibot: Site.allpages", "Client Test" in titles and "Made By Pywikibot" in titles,
          str(titles))
    changes = [c["title"] for c in site.recentchanges(total=10)]
    check("pywikibot: Site.recentchanges", changes[:1] == ["Made By Pywikibot"], str(changes))


def main():
    host, user, token = sys.argv[1:4]
    client = sys.argv[4] if len(sys.argv) > 4 else "all"
    if client in ("all", "mwclient"):
        mwclient_checks(host, user, token)
    if client in ("all", "pywikibot"):
        pywikibot_checks(host, user, token)
    print("all client checks passed")


if __name__ == "__main__":
    main()
