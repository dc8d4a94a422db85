/// Filled-in record documents of every kind, as a practitioner would write them.
/// `marker` is put into a free-text section so tests can find (or must not find) it.
public enum SampleDocuments {
    public static let kinds = ["hii-session", "ddp-session", "mentor-log", "theological-advice"]

    public static func document(kind: String, client: String = "C-0042", start: String = "2026-11-03T10:00:00Z",
                                marker: String = "steady progress") -> String {
        switch kind {
        case "hii-session": return hii(client: client, start: start, marker: marker)
        case "ddp-session": return ddp(client: client, start: start, marker: marker)
        case "mentor-log": return mentor(client: client, start: start, marker: marker)
        case "theological-advice": return theological(client: client, start: start, marker: marker)
        default: preconditionFailure("unknown kind \(kind)")
        }
    }

    public static func hii(client: String = "C-0042", start: String = "2026-11-03T10:00:00Z", marker: String = "steady progress") -> String {
        """
        ---
        kind: hii-session
        client: \(client)
        start: \(start)
        duration: 50
        modality: in-person
        attendance: attended
        labels: [identity-work]
        sharing-summary: Attended and engaged; no immediate concern.
        ---

        ## Session number
        3

        ## Focus
        Identity and belonging after release; \(marker).

        ## What the client reported
        Feels isolated from former associates and unsure where he fits.

        ## Observations: presentation
        Calm, punctual, good eye contact.

        ## Observations: engagement
        Engaged throughout; asked questions.

        ## Interventions used
        - Values clarification
        - Exploring alternative identities

        ## Client response
        Reflective; identified two values he wants to live by.

        ## Formulation update
        Need for significance remains central; protective factors growing.

        ## Risk: immediate concern
        no

        ## Plan
        Continue identity work; review goals next time.

        ## Next session
        2026-11-10 10:00
        """
    }

    public static func ddp(client: String = "C-0042", start: String = "2026-11-04T14:30:00Z", marker: String = "steady progress") -> String {
        """
        ---
        kind: ddp-session
        client: \(client)
        start: \(start)
        duration: 60
        modality: video
        attendance: attended
        sharing-summary: Mentoring session held; housing application in progress.
        ---

        ## Provider organisation
        Example Intervention Provider Ltd

        ## Intervention type
        mentoring

        ## Objectives addressed
        Housing stability; \(marker).

        ## Practical needs (housing, employment, finance, family…)
        Housing application pending with the council.

        ## Information for the offender manager
        Attended; housing application submitted.

        ## Next steps
        Follow up with the housing officer.
        """
    }

    public static func mentor(client: String = "C-0042", start: String = "2026-11-05T16:00:00Z", marker: String = "steady progress") -> String {
        """
        ---
        kind: mentor-log
        client: \(client)
        start: \(start)
        duration: 45
        modality: phone
        attendance: attended
        ---

        ## Contact type
        Phone call

        ## Planned or ad hoc
        ad-hoc

        ## Initiated by
        client

        ## Topics
        Job interview preparation; \(marker).

        ## Actions agreed (who, by when)
        Mentor sends interview tips by Friday.
        """
    }

    public static func theological(client: String = "C-0042", start: String = "2026-11-06T11:00:00Z", marker: String = "steady progress") -> String {
        """
        ---
        kind: theological-advice
        client: \(client)
        start: \(start)
        duration: 90
        modality: in-person
        attendance: attended
        ---

        ## Adviser's tradition
        Sunni, Hanafi

        ## Theme raised (in the client's own framing)
        Whether obedience to the law of the land is owed; \(marker).

        ## Sources discussed
        Classical commentary on covenants of security.

        ## Guidance given
        Discussed the scholarly consensus on keeping covenants.

        ## Client response
        Open to the reading; wants to discuss again.
        """
    }
}
