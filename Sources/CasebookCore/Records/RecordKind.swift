/// The four kinds of session record, each with its own sections.
public enum RecordKind: String, CaseIterable, Sendable, Codable {
    case hiiSession = "hii-session"
    case ddpSession = "ddp-session"
    case mentorLog = "mentor-log"
    case theologicalAdvice = "theological-advice"

    /// A human-readable name, e.g. "HII session note".
    public var title: String {
        switch self {
        case .hiiSession: "HII session note"
        case .ddpSession: "DDP session note"
        case .mentorLog: "Mentor log"
        case .theologicalAdvice: "Theological-advice record"
        }
    }

    /// The kind-specific sections, in template order.
    public var fields: [FieldSpec] {
        switch self {
        case .hiiSession: Self.hiiFields
        case .ddpSession: Self.ddpFields
        case .mentorLog: Self.mentorFields
        case .theologicalAdvice: Self.theologicalFields
        }
    }

    /// Labels every record of this kind carries, whatever the author writes.
    public var defaultLabels: [String] {
        switch self {
        case .theologicalAdvice: ["religious-belief"]
        case .hiiSession, .ddpSession, .mentorLog: []
        }
    }

    /// The field with this key, if the kind has one.
    public func field(forKey key: String) -> FieldSpec? {
        fields.first { $0.key == key }
    }

    /// The field whose title, or key, equals `heading` ignoring case.
    public func field(matchingHeading heading: String) -> FieldSpec? {
        let folded = heading.lowercased()
        return fields.first { $0.title.lowercased() == folded || $0.key == folded }
    }

    /// Parses a kind name, ignoring case; the error lists the kinds.
    public static func parse(_ text: String) throws(RecordInputError) -> RecordKind {
        if let kind = RecordKind(rawValue: text.lowercased()) { return kind }
        throw RecordInputError(
            message: "unknown record kind '\(text)'",
            hint: "kind is one of: " + allCases.map(\.rawValue).joined(separator: ", ")
        )
    }

    // MARK: Field tables

    private static let hiiFields: [FieldSpec] = [
        FieldSpec(
            key: "session-number", title: "Session number", type: .positiveInteger, required: true,
            guidance: "The number of this session in the client's HII programme: 1, 2, 3 …"),
        FieldSpec(
            key: "focus", title: "Focus",
            guidance: "The module, theme or question this session concentrated on."),
        FieldSpec(
            key: "client-report", title: "What the client reported",
            guidance: "Events, thoughts and feelings the client described since the last session, in their words where it matters."),
        FieldSpec(
            key: "observations-presentation", title: "Observations: presentation",
            guidance: "How the client presented (appearance, mood, affect), as observed rather than interpreted."),
        FieldSpec(
            key: "observations-engagement", title: "Observations: engagement",
            guidance: "How the client engaged: openness, resistance, rapport, attention."),
        FieldSpec(
            key: "interventions", title: "Interventions used",
            guidance: "The techniques and exercises you used in this session."),
        FieldSpec(
            key: "client-response", title: "Client response",
            guidance: "How the client responded to those interventions."),
        FieldSpec(
            key: "formulation-update", title: "Formulation update",
            guidance: "What this session adds to or changes in your formulation."),
        FieldSpec(
            key: "risk-new-information", title: "Risk: new risk-relevant information",
            guidance: "New information relevant to risk, stated factually with its source; 'none' if there is none."),
        FieldSpec(
            key: "risk-immediate-concern", title: "Risk: immediate concern", type: .yesNo, required: true,
            guidance: "yes or no: is there a concern that needs action now?"),
        FieldSpec(
            key: "risk-actions", title: "Risk: actions taken",
            guidance: "What you did about any risk concern, and when."),
        FieldSpec(
            key: "risk-escalation", title: "Risk: escalated to whom and when",
            guidance: "The role and organisation you escalated to, and the date and time; 'not escalated' if not."),
        FieldSpec(
            key: "risk-assessment-reference", title: "External risk assessment reference",
            guidance: "Casebook never scores a risk framework: reference the ERG-R or other assessment record held in its own system."),
        FieldSpec(
            key: "plan", title: "Plan",
            guidance: "What you and the client agreed to work on next."),
        FieldSpec(
            key: "next-session", title: "Next session",
            guidance: "Date, time and intended focus of the next session."),
    ]

    private static let ddpFields: [FieldSpec] = [
        FieldSpec(
            key: "provider-organisation", title: "Provider organisation", required: true,
            guidance: "The organisation delivering this intervention."),
        FieldSpec(
            key: "intervention-type", title: "Intervention type",
            type: .choice(["mentoring", "psychological", "theological-ideological", "practical"]), required: true,
            guidance: "One of: mentoring, psychological, theological-ideological, practical."),
        FieldSpec(
            key: "objectives", title: "Objectives addressed",
            guidance: "Which objectives of the intervention plan this session addressed."),
        FieldSpec(
            key: "engagement", title: "Engagement",
            guidance: "How the client engaged with the session and with the programme."),
        FieldSpec(
            key: "practical-needs", title: "Practical needs (housing, employment, finance, family…)",
            guidance: "Practical needs raised (housing, employment, finance, family…) and what is being done about each."),
        FieldSpec(
            key: "summary", title: "Summary",
            guidance: "A short factual account of the session."),
        FieldSpec(
            key: "risk-observations", title: "Risk-relevant observations",
            guidance: "Observations relevant to risk, stated factually with their source."),
        FieldSpec(
            key: "offender-manager-information", title: "Information for the offender manager",
            guidance: "Explicitly minimised: only what the offender manager needs to manage risk; nothing else."),
        FieldSpec(
            key: "next-steps", title: "Next steps",
            guidance: "Agreed next steps: who does what, by when."),
    ]

    private static let mentorFields: [FieldSpec] = [
        FieldSpec(
            key: "contact-type", title: "Contact type", required: true,
            guidance: "How the contact happened, e.g. meeting, phone call, message, shared activity."),
        FieldSpec(
            key: "planned", title: "Planned or ad hoc", type: .choice(["planned", "ad-hoc"]), required: true,
            guidance: "planned or ad-hoc."),
        FieldSpec(
            key: "initiated-by", title: "Initiated by", type: .choice(["client", "mentor", "other"]), required: true,
            guidance: "Who initiated the contact: client, mentor or other."),
        FieldSpec(
            key: "topics", title: "Topics",
            guidance: "What you talked about."),
        FieldSpec(
            key: "activities", title: "Activities",
            guidance: "What you did together."),
        FieldSpec(
            key: "mood-engagement", title: "Mood and engagement",
            guidance: "The client's mood and how they engaged."),
        FieldSpec(
            key: "goal-progress", title: "Progress on goals",
            guidance: "Progress on the client's agreed goals since the last contact."),
        FieldSpec(
            key: "actions-agreed", title: "Actions agreed (who, by when)",
            guidance: "Each action agreed, with who does it and by when."),
        FieldSpec(
            key: "concerns", title: "Concerns raised and escalation",
            guidance: "Any concern raised, and whether, to whom and when it was escalated."),
        FieldSpec(
            key: "next-contact", title: "Next contact",
            guidance: "When and how you will next be in touch."),
    ]

    private static let theologicalFields: [FieldSpec] = [
        FieldSpec(
            key: "tradition", title: "Adviser's tradition", required: true,
            guidance: "Your own tradition or school, so that readers can place the advice."),
        FieldSpec(
            key: "theme", title: "Theme raised (in the client's own framing)",
            guidance: "The theme or question the client raised, in the client's own framing."),
        FieldSpec(
            key: "sources", title: "Sources discussed",
            guidance: "Texts, scholars and other sources discussed."),
        FieldSpec(
            key: "guidance", title: "Guidance given",
            guidance: "The guidance you gave, and its basis."),
        FieldSpec(
            key: "client-response", title: "Client response",
            guidance: "How the client responded to the guidance."),
        FieldSpec(
            key: "unresolved-questions", title: "Unresolved questions",
            guidance: "Questions left open for a later session."),
        FieldSpec(
            key: "referrals", title: "Referrals",
            guidance: "Referrals made to other advisers or services, and why."),
        FieldSpec(
            key: "risk-observations", title: "Risk-relevant observations",
            guidance: "Observations relevant to risk, stated factually with their source."),
    ]
}
