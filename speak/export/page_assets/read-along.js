/* speak read-along page: highlight the sentence (and syllable) being heard, play from a sentence,
   keyboard navigation and review mode. Works from file:// (no fetch, no modules):
   sentence timings are data attributes in the page. */
(function () {
  "use strict";

  var sentences = Array.prototype.slice.call(document.querySelectorAll(".sentence"));
  var status = document.getElementById("status");
  var current = null; // the sentence that takes part in the tab order (roving tabindex)

  function playerOf(sentence) {
    var section = sentence.closest("section");
    return section ? section.querySelector("audio") : null;
  }

  function announce(message) {
    // One polite message per user action; never during playback.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function makeCurrent(sentence, focus) {
    if (current && current !== sentence) current.setAttribute("tabindex", "-1");
    current = sentence;
    sentence.setAttribute("tabindex", "0");
    if (focus) sentence.focus();
  }

  function playFrom(sentence) {
    var audio = playerOf(sentence);
    makeCurrent(sentence, false);
    if (!audio || sentence.dataset.start === undefined) return;
    audio.currentTime = parseFloat(sentence.dataset.start);
    highlight(audio);
    var played = audio.play();
    if (played && played.catch) played.catch(function () { /* blocked: the user presses play */ });
  }

  function sentenceAt(audio, time) {
    var found = null;
    var list = audio.readAlongSentences;
    for (var i = 0; i < list.length; i++) {
      if (parseFloat(list[i].dataset.start) <= time + 0.001) found = list[i];
      else break;
    }
    if (found && time >= parseFloat(found.dataset.end) + 0.5) return null; // in a long pause
    return found;
  }

  function highlight(audio) {
    var sentence = sentenceAt(audio, audio.currentTime);
    if (sentence === audio.activeSentence) return;
    if (audio.activeSentence) {
      audio.activeSentence.classList.remove("active");
      audio.activeSentence.removeAttribute("aria-current");
    }
    audio.activeSentence = sentence;
    if (!sentence) return;
    sentence.classList.add("active");
    sentence.setAttribute("aria-current", "true");
    if (!audio.paused && document.activeElement !== sentence) {
      var box = sentence.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) {
        sentence.scrollIntoView({ block: "center" });
      }
    }
  }

  // The syllable being heard, for sentences with data-syllables (the neural voice): a CSS
  // Custom Highlight over the characters that say it, so the markup and what a screen reader
  // meets never change. Browsers without the Highlight API show the sentence alone.
  var canHighlight = !!(window.CSS && CSS.highlights && typeof Highlight === "function");
  var shownSyllable = null;

  function syllablesOf(sentence) {
    if (!sentence.readAlongSyllables) {
      sentence.readAlongSyllables = (sentence.dataset.syllables || "").split(" ")
        .filter(Boolean).map(function (cell) {
          var parts = cell.split(":");
          var span = parts[0].split("-");
          return { first: +span[0], last: +span[1], start: +parts[1], end: +parts[2] };
        });
    }
    return sentence.readAlongSyllables;
  }

  function printedText(node) {
    // Characters of the printed sentence: ruby readings and review notes are not counted.
    for (var el = node.parentElement; el; el = el.parentElement) {
      if (el.classList.contains("sentence")) return true;
      var tag = el.tagName.toLowerCase();
      if (tag === "rt" || tag === "rp" || el.classList.contains("finding-note")) return false;
    }
    return true;
  }

  function rangeOf(sentence, first, last) {
    var walker = document.createTreeWalker(sentence, NodeFilter.SHOW_TEXT);
    var range = document.createRange();
    var at = 0, started = false, node;
    while ((node = walker.nextNode())) {
      if (!printedText(node)) continue;
      var length = node.nodeValue.length;
      if (!started && first < at + length) { range.setStart(node, first - at); started = true; }
      if (started && last <= at + length) { range.setEnd(node, last - at); return range; }
      at += length;
    }
    return null;
  }

  function showSyllable(audio) {
    if (!canHighlight) return;
    var sentence = audio.activeSentence, found = null;
    if (sentence && sentence.dataset.syllables) {
      var time = audio.currentTime;
      syllablesOf(sentence).forEach(function (s) { if (s.start <= time && time < s.end) found = s; });
    }
    if (found === shownSyllable) return;
    shownSyllable = found;
    var range = found && rangeOf(sentence, found.first, found.last);
    if (range) CSS.highlights.set("speak-syllable", new Highlight(range));
    else CSS.highlights.delete("speak-syllable");
  }

  function followSyllables(audio) {
    // timeupdate comes about four times a second: too slow for five syllables a second.
    showSyllable(audio);
    if (!audio.paused && !audio.ended) window.requestAnimationFrame(function () { followSyllables(audio); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("audio[data-section]"), function (audio) {
    var section = document.getElementById(audio.dataset.section);
    audio.readAlongSentences = Array.prototype.slice
      .call(section.querySelectorAll(".sentence[data-start]"))
      .sort(function (a, b) { return parseFloat(a.dataset.start) - parseFloat(b.dataset.start); });
    audio.activeSentence = null;
    ["timeupdate", "seeked", "play"].forEach(function (kind) {
      audio.addEventListener(kind, function () { highlight(audio); showSyllable(audio); });
    });
    audio.addEventListener("play", function () { followSyllables(audio); });
    ["pause", "ended"].forEach(function (kind) {
      audio.addEventListener(kind, function () { showSyllable(audio); });
    });
    audio.addEventListener("play", function () {
      // One voice at a time: pause the other sections' players.
      Array.prototype.forEach.call(document.querySelectorAll("audio"), function (other) {
        if (other !== audio && !other.paused) other.pause();
      });
    });
  });

  sentences.forEach(function (sentence, index) {
    sentence.setAttribute("tabindex", index === 0 ? "0" : "-1");
    sentence.addEventListener("click", function () { playFrom(sentence); });
    sentence.addEventListener("focus", function () { makeCurrent(sentence, false); });
    sentence.addEventListener("keydown", function (event) {
      var step = 0;
      switch (event.key) {
        case "Enter":
        case " ":
          event.preventDefault();
          playFrom(sentence);
          return;
        case "ArrowDown": case "ArrowRight": case "j": step = 1; break;
        case "ArrowUp": case "ArrowLeft": case "k": step = -1; break;
        case "Home": step = -index; break;
        case "End": step = sentences.length - 1 - index; break;
        default: return;
      }
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      var next = sentences[Math.min(sentences.length - 1, Math.max(0, index + step))];
      makeCurrent(next, true);
    });
  });
  if (sentences.length) current = sentences[0];

  var toggle = document.getElementById("review-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var on = toggle.getAttribute("aria-pressed") !== "true";
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      document.body.classList.toggle("review", on);
      Array.prototype.forEach.call(document.querySelectorAll(".finding"), function (mark) {
        if (on) mark.setAttribute("aria-describedby", mark.dataset.note);
        else mark.removeAttribute("aria-describedby");
      });
      announce(on ? toggle.dataset.on : toggle.dataset.off);
    });
  }
})();
