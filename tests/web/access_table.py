"""Who may call what: the expected access of EVERY route, written down independently of
the code that enforces it. ``test_web_matrix.py`` checks every role against every row
on SQLite and PostgreSQL, and fails when the app has a route this table does not name.

Rules (users from conftest.World: tom owns C-001 and ``analysis_id``; tess owns C-900;
sam supervises tom without an identity grant; sue supervises nobody; rita researches;
ada administers):

- PUBLIC: anyone, signed in or not.
- SIGNED_IN: every signed-in user; anonymous -> 401 (API) or a redirect to /login (pages).
- CLIENT_READ: tom and sam; every other signed-in user -> 404.
- CLIENT_WRITE: tom only (supervisors are read-only) -> others 404.
- CLIENT_COMMENT: tom and sam (comments on moments; acknowledging safety flags).
- THERAPIST: any therapist (tom, tess), e.g. adding a client of their own.
- CLINICIAN: therapists and supervisors (their own caseload; empty for sue).
- RESEARCHER: rita only. ADMIN: ada only.
- tia is a trainee, supervised by sam: she practises and sees no client data at all.
- PRACTISER: those who practise (tom, tess, tia); PRACTICE_REVIEWER: supervisors and
  admins (sam, sue, ada); TIAS_PRACTICE: tia's own practice (tia, her supervisor sam, ada);
  TIAS_REVIEWER: tia's practice seen by others (sam, ada).
- CODING_MEMBER: tom and sam, the members of the coding project {project_id} (tom made it
  and codes it, sam codes it); CODING_ADJUDICATOR: tom only (its maker);
  CODING_MANAGER: tom (its maker) and ada (admins change any project).
- CODING_MAKER: every signed-in user but the trainee tia (trainees never code).

Add one row per route you add; keep the path exactly as the app declares it. Path
parameters are filled by the matrix test: {code} -> C-001, {analysis_id} -> tom's
analysis, {number} -> 1 (sessions), others as the test documents.
"""

from __future__ import annotations

PUBLIC = "public"
SIGNED_IN = "signed_in"
CLIENT_READ = "client_read"
CLIENT_WRITE = "client_write"
CLIENT_COMMENT = "client_comment"
THERAPIST = "therapist"
CLINICIAN = "clinician"
RESEARCHER = "researcher"
ADMIN = "admin"
CODING_MEMBER = "coding_member"
CODING_ADJUDICATOR = "coding_adjudicator"
CODING_MANAGER = "coding_manager"
CODING_MAKER = "coding_maker"
PRACTISER = "practiser"
PRACTICE_REVIEWER = "practice_reviewer"
TIAS_PRACTICE = "tias_practice"
TIAS_REVIEWER = "tias_reviewer"

ACCESS: dict[tuple[str, str], str] = {
    # -- account pages (rapport/web/pages/account.py)
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): SIGNED_IN,
    ("GET", "/account/password"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    # -- start page (rapport/web/pages/home.py)
    ("GET", "/"): SIGNED_IN,
    # -- API: me and tokens
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("GET", "/api/v1/tokens"): SIGNED_IN,
    ("POST", "/api/v1/tokens"): SIGNED_IN,
    ("DELETE", "/api/v1/tokens/{token_id}"): SIGNED_IN,
    # -- API: clients
    ("GET", "/api/v1/clients"): SIGNED_IN,  # researchers and admins get an empty list
    ("POST", "/api/v1/clients"): THERAPIST,
    ("GET", "/api/v1/clients/{code}"): CLIENT_READ,
    ("GET", "/api/v1/clients/{code}/sessions"): CLIENT_READ,
    ("POST", "/api/v1/clients/{code}/sessions"): CLIENT_WRITE,
    ("GET", "/api/v1/clients/{code}/consents"): CLIENT_READ,
    ("POST", "/api/v1/clients/{code}/consents"): CLIENT_WRITE,
    # -- API: measures
    ("GET", "/api/v1/instruments"): SIGNED_IN,
    ("GET", "/api/v1/clients/{code}/responses"): CLIENT_READ,
    ("POST", "/api/v1/clients/{code}/responses"): CLIENT_WRITE,
    ("POST", "/api/v1/clients/{code}/responses/{response_id}/entered-in-error"):
        CLIENT_WRITE,
    ("GET", "/api/v1/clients/{code}/progress"): CLIENT_READ,
    ("GET", "/api/v1/alerts"): SIGNED_IN,
    # -- API: safety flags (rapport/web/api/safety.py)
    ("GET", "/api/v1/clients/{code}/safety-flags"): CLIENT_READ,
    ("POST", "/api/v1/clients/{code}/safety-flags/acknowledgements"): CLIENT_COMMENT,
    # -- API: analyses
    ("GET", "/api/v1/clients/{code}/analyses"): CLIENT_READ,
    ("POST", "/api/v1/clients/{code}/sessions/{number}/analyses"): CLIENT_WRITE,
    ("GET", "/api/v1/jobs/{job_id}"): CLIENT_WRITE,  # tom's job: only its owner sees it
    ("GET", "/api/v1/analyses/{analysis_id}"): CLIENT_READ,
    ("GET", "/api/v1/analyses/{analysis_id}/corrections"): CLIENT_READ,
    ("POST", "/api/v1/analyses/{analysis_id}/corrections"): CLIENT_WRITE,
    ("GET", "/api/v1/analyses/{analysis_id}/comments"): CLIENT_READ,
    ("POST", "/api/v1/analyses/{analysis_id}/comments"): CLIENT_COMMENT,
    # -- API: research and admin
    ("GET", "/api/v1/stats/metrics"): RESEARCHER,
    ("GET", "/api/v1/research/analyses"): RESEARCHER,
    ("GET", "/api/v1/research/analyses/{analysis_id}"): RESEARCHER,  # C-001 consented
    ("GET", "/api/v1/users"): SIGNED_IN,  # admins see all; others themselves and partners
    ("POST", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/supervision"): ADMIN,
    ("DELETE", "/api/v1/supervision/{supervisor}/{supervisee}"): ADMIN,  # a fresh link
    ("PUT", "/api/v1/users/{username}/active"): ADMIN,  # {username}: a throwaway user
    ("GET", "/api/v1/audit"): SIGNED_IN,  # scoped: admins all, others their own
    # -- pages issue: add rows below this line, one per route -------------------------
    # -- client, supervision, research and admin pages (rapport/web/pages/*.py)
    ("GET", "/clients/{code}"): CLIENT_READ,
    ("GET", "/clients/{code}/with-client"): CLIENT_READ,
    ("GET", "/supervision"): CLINICIAN,  # supervisors: supervisees; therapists: their own
    ("GET", "/research"): RESEARCHER,
    ("GET", "/admin"): ADMIN,
    ("POST", "/admin/users"): ADMIN,
    ("POST", "/admin/supervision"): ADMIN,
    ("POST", "/admin/retention"): ADMIN,
    ("POST", "/admin/users/{username}/active"): ADMIN,
    ("POST", "/admin/supervision/end"): ADMIN,  # a fresh link
    ("POST", "/admin/password"): ADMIN,  # a throwaway user's
    # feedback forms (rapport/web/pages/feedback.py); {token}: a live form's token
    ("GET", "/clients/{code}/sessions/{number}/feedback"): CLIENT_WRITE,
    ("POST", "/clients/{code}/sessions/{number}/feedback"): CLIENT_WRITE,
    ("GET", "/f/{token}"): PUBLIC,
    ("POST", "/f/{token}"): PUBLIC,
    ("GET", "/feedback/thanks"): PUBLIC,
    ("GET", "/kiosk"): PUBLIC,
    ("POST", "/kiosk"): PUBLIC,
    # session, upload and questionnaire pages (rapport/web/pages/{sessions,upload,
    # questionnaire}.py)
    ("GET", "/clients/{code}/sessions/{number}"): CLIENT_READ,
    ("POST", "/clients/{code}/sessions/{number}/corrections"): CLIENT_WRITE,
    ("POST", "/clients/{code}/sessions/{number}/comments"): CLIENT_COMMENT,
    ("GET", "/clients/{code}/sessions/{number}/corrections.csv"): CLIENT_READ,
    ("GET", "/upload"): THERAPIST,
    ("POST", "/upload"): THERAPIST,  # into the therapist's own (or a new) client
    ("GET", "/jobs/{job_id}"): CLIENT_WRITE,  # tom's upload job: only its owner sees it
    # recordings (rapport/web/pages/recordings.py): {recording_job} is tom's transcribed one
    ("POST", "/upload/recording"): THERAPIST,  # into the therapist's own (or a new) client
    ("GET", "/recordings/{recording_job}"): CLIENT_WRITE,
    ("POST", "/recordings/{recording_job}"): CLIENT_WRITE,
    # a kept recording ({recording_id}: one kept with C-001's session 1): the treating
    # therapist only; a supervisor never gets the voice
    ("GET", "/clients/{code}/sessions/{number}/recordings/{recording_id}"): CLIENT_WRITE,
    ("POST", "/clients/{code}/sessions/{number}/recordings/{recording_id}/delete"):
        CLIENT_WRITE,
    ("GET", "/clients/{code}/sessions/{number}/questionnaire"): CLIENT_WRITE,
    ("POST", "/clients/{code}/sessions/{number}/questionnaire"): CLIENT_WRITE,
    ("POST", "/clients/{code}/sessions/{number}/responses/{response_id}/entered-in-error"):
        CLIENT_WRITE,
    # safety flags (rapport/web/pages/safety.py): therapist and supervisor acknowledge
    ("POST", "/clients/{code}/safety-flags/acknowledge"): CLIENT_COMMENT,
    # coding workbench (rapport/web/pages/coding.py, rapport/web/api/coding.py); a project
    # is made from C-001's session 1, so only those who may read C-001 may make it here
    ("GET", "/coding"): SIGNED_IN,  # the projects one is on (none for most)
    ("POST", "/coding"): CLIENT_READ,
    ("GET", "/coding/{project_id}"): CODING_MEMBER,
    ("GET", "/coding/{project_id}/units/{unit_id}"): CODING_MEMBER,
    ("POST", "/coding/{project_id}/units/{unit_id}/finish"): CODING_MEMBER,
    ("GET", "/coding/{project_id}/agreement"): CODING_ADJUDICATOR,
    ("GET", "/coding/{project_id}/units/{unit_id}/adjudicate"): CODING_ADJUDICATOR,
    ("POST", "/coding/{project_id}/units/{unit_id}/decisions"): CODING_ADJUDICATOR,
    ("GET", "/coding/{project_id}/export"): CODING_ADJUDICATOR,
    ("GET", "/api/v1/coding/projects"): SIGNED_IN,
    ("POST", "/api/v1/coding/projects"): CLIENT_READ,
    ("GET", "/api/v1/coding/projects/{project_id}"): CODING_MEMBER,
    ("GET", "/api/v1/coding/projects/{project_id}/units/{unit_id}"): CODING_MEMBER,
    ("POST", "/api/v1/coding/projects/{project_id}/units/{unit_id}/codes"): CODING_MEMBER,
    ("GET", "/api/v1/coding/projects/{project_id}/agreement"): CODING_ADJUDICATOR,
    ("GET", "/api/v1/coding/projects/{project_id}/export"): CODING_ADJUDICATOR,
    # projects from uploaded transcripts, and changes to a project (web/api/coding_changes.py,
    # web/pages/coding_changes.py); every role but trainees may make a project of uploads
    ("POST", "/api/v1/coding/projects/uploads"): CODING_MAKER,
    ("POST", "/api/v1/coding/projects/{project_id}/members"): CODING_MANAGER,
    ("POST", "/api/v1/coding/projects/{project_id}/sessions"): CODING_MANAGER,
    ("POST", "/api/v1/coding/projects/{project_id}/units/{unit_id}/reopen"): CODING_MANAGER,
    ("GET", "/api/v1/coding/projects/{project_id}/history"): CODING_MEMBER,
    ("DELETE", "/api/v1/coding/projects/{project_id}"): CODING_MANAGER,
    ("POST", "/coding/{project_id}/members"): CODING_MANAGER,
    ("POST", "/coding/{project_id}/sessions"): CODING_MANAGER,
    ("POST", "/coding/{project_id}/units/{unit_id}/reopen"): CODING_MANAGER,
    ("POST", "/coding/{project_id}/delete"): CODING_MANAGER,
    # practice room (rapport/web/pages/practice.py, rapport/web/api/practice.py);
    # {drill_id}: empathy-01; {attempt_id}: an attempt of tia's; {trainee}: tia
    ("GET", "/practice"): PRACTISER,
    ("GET", "/practice/drills/{drill_id}"): PRACTISER,
    ("POST", "/practice/drills/{drill_id}"): PRACTISER,
    ("GET", "/practice/attempts/{attempt_id}"): TIAS_PRACTICE,
    ("GET", "/practice/history"): PRACTISER,
    ("GET", "/practice/people"): PRACTICE_REVIEWER,
    ("GET", "/practice/people/{trainee}"): TIAS_REVIEWER,
    ("GET", "/api/v1/practice/drills"): SIGNED_IN,
    ("POST", "/api/v1/practice/attempts"): PRACTISER,
    ("GET", "/api/v1/practice/progress"): SIGNED_IN,  # one's own (empty if one never practised)
}
