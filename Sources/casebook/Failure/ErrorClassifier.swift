import ArgumentParser
import CasebookCore
import CasebookCrypto
import CasebookFormat

/// Every failure, classified once, here at the edge: the one `casebook: error:` line, the
/// `hint:` line and the exit status. The libraries say what kind of failure it was and
/// nothing about exit statuses or commands; this is the only place that decides those.
enum ErrorClassifier {
    /// What the user is told.
    struct Failure: Equatable, Sendable {
        let status: ExitStatus
        let message: String
        let hint: String?
    }

    static func classify(_ error: any Error) -> Failure {
        switch error {
        case let error as CommandError:
            return Failure(status: error.status, message: error.message, hint: error.hint)
        case let error as CasebookError:
            let message = error.argument.map { "\(OptionName.of($0)) \(error.message)" } ?? error.message
            return Failure(status: status(error.code), message: message, hint: error.remedy.map(RemedyText.hint) ?? error.hint)
        case let error as WireFormatError:
            return Failure(status: error.kind == .integrity ? .integrity : .invalidInput, message: error.message, hint: error.hint)
        case let error as RecordInputError:
            return Failure(status: .invalidInput, message: error.description, hint: error.hint)
        case let error as RecordJSONError:
            return Failure(status: .invalidInput, message: error.description, hint: error.hint)
        case let error as AgeError:
            return Failure(status: status(error.category), message: error.message, hint: error.hint)
        case let error as MerkleProofError:
            return Failure(status: .integrity, message: "an audit proof does not verify: \(error)", hint: nil)
        case let error as SignedNoteError:
            switch error {
            case .badSignature, .noKnownSignature, .duplicateSignature:
                return Failure(status: .integrity, message: "a signed note does not verify: \(error)", hint: nil)
            default:
                return Failure(status: .invalidInput, message: "a signed note is malformed: \(error)", hint: nil)
            }
        case let error as CryptoError where error == .authenticationFailed:
            return Failure(status: .integrity, message: "data did not authenticate: it was altered, or the key is wrong", hint: nil)
        case let error as CryptoError where error == .outOfSecureMemory || error == .keyDerivationFailed:
            return Failure(status: .environment, message: "the system could not provide secure memory for a key", hint: nil)
        case let error as any CustomStringConvertible & Error where isFormatError(error):
            return Failure(status: .invalidInput, message: error.description, hint: nil)
        default:
            return Failure(status: .internalError, message: "unexpected failure: \(type(of: error))", hint: nil)
        }
    }

    /// The exit status of each kind of library failure (the README's table).
    static func status(_ code: CasebookError.Code) -> ExitStatus {
        switch code {
        case .internalError: .internalError
        case .invalidArgument: .usage
        case .invalidInput: .invalidInput
        case .notFound: .notFound
        case .wrongPassphrase: .wrongPassphrase
        case .integrity: .integrity
        case .alreadyExists: .alreadyExists
        case .refused: .refused
        case .environment: .environment
        }
    }

    static func status(_ category: AgeError.Category) -> ExitStatus {
        switch category {
        case .invalid: .invalidInput
        case .damaged: .integrity
        case .environment: .environment
        }
    }

    /// Format parse failures that name what was malformed in their description.
    private static func isFormatError(_ error: any Error) -> Bool {
        error is MinisignError || error is UstarError || error is IdentityCardError || error is CheckpointError
            || error is NoteDocumentError || error is FieldListEncodingError || error is IdentityFile.ParseError
            || error is Bech32.DecodingError || error is MinisignPublicKey.ParseError
    }
}
