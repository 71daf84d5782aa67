// ffem-train — progress on a terminal (a bar per epoch), JSON lines otherwise; log.jsonl always.
import FFEMCLI
import FFEMCore
import FFEMTrain
import Foundation

final class ConsoleObserver: TrainingObserver {
    let epochs: Int
    let logPath: String
    var progress: ProgressReporter?
    var currentEpoch = 0
    var epochStart = Date()
    let isTerminal = Process.isStandardErrorTerminal

    init(epochs: Int, logPath: String) {
        self.epochs = epochs
        self.logPath = logPath
    }

    func stepFinished(epoch: Int, step: Int, of steps: Int, loss: Double, accuracy: Double, imagesPerSecond: Double) {
        if epoch != currentEpoch {
            currentEpoch = epoch
            epochStart = Date()
            progress = ProgressReporter(label: "epoch \(epoch)/\(epochs)", total: steps)
        }
        guard isTerminal else { return }
        let perStep = Date().timeIntervalSince(epochStart) / Double(max(step, 1))
        let eta = perStep * Double((steps - step) + (epochs - epoch) * steps)
        progress?.update(step, detail: String(format: "loss %.4f acc %.3f %.0f img/s ETA %.0fs", loss, accuracy, imagesPerSecond, eta))
    }

    func epochFinished(_ line: String, text: String) {
        if isTerminal { Process.printError(text) } else { print(line) }
        if let handle = FileHandle(forWritingAtPath: logPath) ?? createLog() {
            handle.seekToEndOfFile()
            handle.write(Data((line + "\n").utf8))
            try? handle.close()
        }
    }

    func createLog() -> FileHandle? {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        return FileHandle(forWritingAtPath: logPath)
    }
}
