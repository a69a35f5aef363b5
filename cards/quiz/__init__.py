"""Exam practice: questions generated from cards, written in notes or made from calculator
scenarios, and the exams that ask them."""
